"""`flask create-user`: an account of any role, from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..models import Role
from ..services.accounts import users as accounts
from ..services.accounts.passwords import password_problem

_CLI_REASONS = {
    "email_taken": "an account with this email already exists",
    "agency_missing": "the role's agency is missing; run `flask seed-reference` first",
}


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--phone", default=None)
@click.password_option()
@with_appcontext
def create_user(email: str, name: str, role: str, phone: str | None, password: str) -> None:
    """Create an account of any role (staff get their role's agency)."""
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.ClickException(problem)
    try:
        accounts.create_user(email=email, name=name, role=role, password=password, phone=phone)
    except accounts.AccountError as exc:
        reason = _CLI_REASONS.get(exc.code, exc.message)
        raise click.ClickException(f"cannot create user: {reason}") from exc
    db.session.commit()
    click.echo(f"Created {role} {email.strip().lower()}")


COMMANDS = [create_user]
