"""`flask membership-sweep`: lapse, re-activate and end memberships (idempotent, for cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..services.membership.payments import sweep


@click.command("membership-sweep")
@with_appcontext
def membership_sweep() -> None:
    """Apply the grace-period and employment-end rules to every membership."""
    counts = sweep(commit=True)
    db.session.commit()
    click.echo(
        f"lapsed {counts['lapsed']}, re-activated {counts['active']}, ended {counts['ended']}"
    )


COMMANDS = [membership_sweep]
