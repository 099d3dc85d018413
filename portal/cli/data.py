"""`flask seed-reference`, `flask seed-demo`, `flask purge-uploads`: the portal's data."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..services.reference.seed import load_reference_data


@click.command("seed-reference")
@with_appcontext
def seed_reference() -> None:
    """Load agencies, regions, sectors, rates and categories (idempotent)."""
    load_reference_data()
    db.session.commit()
    click.echo("Reference data loaded.")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Reference data, one demo user per role and demo records (idempotent)."""
    from ..demo.accounts import DEMO_PASSWORD, seed_demo_users
    from ..demo.records import seed_demo_records

    load_reference_data()
    logins = seed_demo_users()
    seed_demo_records()
    db.session.commit()
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, role in logins:
        click.echo(f"  {role:<16} {email}")
    from ..demo.api import DEMO_TOKENS

    click.echo("Demo API tokens (README, Integrations):")
    for name, token in DEMO_TOKENS.items():
        click.echo(f"  {token}  {name}")


@click.command("purge-uploads")
@with_appcontext
def purge_uploads() -> None:
    """Delete uploaded personal data past `upload_retention_days` (run daily from cron)."""
    from ..services.uploads.retention import purge_uploads as purge

    report = purge()
    db.session.commit()
    click.echo(
        f"Employer uploads: {report.employer_rows} staged rows deleted, "
        f"{report.employer_uploads} unconfirmed uploads discarded; "
        f"BPJS uploads: {report.bpjs_uploads} files emptied; "
        f"consent photos: {report.consent_photos} removed."
    )


COMMANDS = [seed_reference, seed_demo, purge_uploads]
