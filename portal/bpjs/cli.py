"""`flask membership-sweep`: lapse, re-activate and end memberships (idempotent, for cron)."""

from __future__ import annotations

import click

from ..extensions import db
from ..services.membership.payments import sweep
from . import bp


@bp.cli.command("membership-sweep")
def membership_sweep() -> None:
    """Apply the grace-period and employment-end rules to every membership."""
    counts = sweep(commit=True)
    db.session.commit()
    click.echo(
        f"lapsed {counts['lapsed']}, re-activated {counts['active']}, ended {counts['ended']}"
    )
