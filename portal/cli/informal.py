"""`flask member-reminders`: tell BPU members (and their agents) before their dues fall due,
when a month is missed, before they lapse, and when their funded batch ends (idempotent)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..services.informal.reminders import send_batch_end_notices, send_member_reminders


@click.command("member-reminders")
@with_appcontext
def member_reminders() -> None:
    """Send today's dues, missed-payment, lapse and batch-end notices (each once)."""
    counts = send_member_reminders()
    db.session.commit()
    ending = send_batch_end_notices()
    db.session.commit()
    click.echo(
        f"due {counts['dues_due']}, missed {counts['dues_missed']}, "
        f"lapsing {counts['lapse_warning']}, batch ending {ending}"
    )


COMMANDS = [member_reminders]
