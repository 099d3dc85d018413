"""`flask sla-sweep`: reminders and escalation for complaint deadlines (run it from cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..services.complaints.escalation import sweep


@click.command("sla-sweep")
@with_appcontext
def sla_sweep() -> None:
    """Remind assignees at 75%, tell agency heads when overdue, escalate to the labour office.

    Idempotent: running it again the same day sends nothing new.
    """
    report = sweep()
    db.session.commit()
    levels = ", ".join(f"level {k}: {v}" for k, v in sorted(report.raised.items())) or "none"
    click.echo(
        f"Checked {report.checked} open complaints; escalated ({levels}); "
        f"{report.notices} notifications."
    )


COMMANDS = [sla_sweep]
