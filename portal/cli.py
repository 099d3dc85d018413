"""Flask commands: reference data, demo data, accounts."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from .extensions import db
from .models import Role, User
from .services.accounts import users as accounts
from .services.reference.seed import load_reference_data

DEMO_PASSWORD = "Singkawang2026"
DEMO_USERS = [
    ("admin@demo.singkawang.id", "Admin Portal", Role.ADMIN),
    ("pemilik@demo.singkawang.id", "Budi Santoso", Role.BUSINESS_OWNER),
    ("petugas.bpjs@demo.singkawang.id", "Siti Rahma", Role.BPJS_OFFICER),
    ("kepala.bpjs@demo.singkawang.id", "Hendra Wijaya", Role.BPJS_HEAD),
    ("petugas.dagang@demo.singkawang.id", "Lina Marlina", Role.TRADE_OFFICER),
    ("kepala.dagang@demo.singkawang.id", "Agus Salim", Role.TRADE_HEAD),
    ("petugas.naker@demo.singkawang.id", "Dewi Lestari", Role.LABOUR_OFFICER),
    ("kepala.naker@demo.singkawang.id", "Rudi Hartono", Role.LABOUR_HEAD),
]


_CLI_REASONS = {
    "email_taken": "an account with this email already exists",
    "agency_missing": "the role's agency is missing; run `flask seed-reference` first",
}


def seed_demo_users() -> list[tuple[str, str]]:
    """One demo account per role (idempotent). Returns (email, role) pairs."""
    for email, name, role in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            accounts.create_user(email=email, name=name, role=role, password=DEMO_PASSWORD)
    return [(email, role.value) for email, _, role in DEMO_USERS]


def register(app: Flask) -> None:
    @app.cli.command("seed-reference")
    def seed_reference() -> None:
        """Load agencies, regions, sectors, rates and categories (idempotent)."""
        load_reference_data()
        db.session.commit()
        click.echo("Reference data loaded.")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Reference data, one demo user per role and demo records (idempotent)."""
        from .demo.records import seed_demo_records

        load_reference_data()
        logins = seed_demo_users()
        seed_demo_records()
        db.session.commit()
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, role in logins:
            click.echo(f"  {role:<16} {email}")

    @app.cli.command("purge-uploads")
    def purge_uploads() -> None:
        """Delete uploaded personal data past `upload_retention_days` (run daily from cron)."""
        from .services.uploads.retention import purge_uploads as purge

        report = purge()
        db.session.commit()
        click.echo(
            f"Employer uploads: {report.employer_rows} staged rows deleted, "
            f"{report.employer_uploads} unconfirmed uploads discarded; "
            f"BPJS uploads: {report.bpjs_uploads} files emptied."
        )

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
    @click.option("--phone", default=None)
    @click.password_option()
    def create_user(email: str, name: str, role: str, phone: str | None, password: str) -> None:
        """Create an account of any role (staff get their role's agency)."""
        from .services.accounts.passwords import password_problem

        problem = password_problem(password, email=email, name=name)
        if problem:
            raise click.ClickException(problem)
        try:
            accounts.create_user(email=email, name=name, role=role, password=password, phone=phone)
        except accounts.AccountError as exc:
            reason = _CLI_REASONS.get(exc.message, exc.message)
            raise click.ClickException(f"cannot create user: {reason}") from exc
        db.session.commit()
        click.echo(f"Created {role} {email.strip().lower()}")
