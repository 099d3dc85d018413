"""`flask audit-verify`: check the whole audit chain (run it daily from cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..services.audit import chain

_PROBLEMS = {
    chain.ALTERED: "event #{id} does not match its seal (edited, or written without the key)",
    chain.UNLINKED: "event #{id} does not follow the event before it (an earlier one was deleted)",
    chain.TRUNCATED: "the last verified event #{id} is missing or replaced (newest events deleted)",
    chain.HEAD_ALTERED: "the recorded head (last verified event #{id}) does not match its seal",
}


def describe(check: chain.ChainCheck) -> str:
    return _PROBLEMS[check.problem].format(id=check.broken_id)


@click.command("audit-verify")
@with_appcontext
def audit_verify() -> None:
    """Verify every audit event; when all hold, record the newest as the head later runs
    must still find. Exits with status 1 (cron mails the output) when the chain is broken.
    """
    check = chain.check_chain()
    if not check.intact:
        db.session.rollback()
        intact_to = f"events up to #{check.last_id} are intact" if check.last_id else "no event"
        click.echo(f"AUDIT CHAIN BROKEN: {describe(check)}; {intact_to}.", err=True)
        raise SystemExit(1)
    head = chain.record_head(check)
    db.session.commit()
    click.echo(
        f"Audit chain intact: {check.events} events. Head recorded: event #{head.event_id}, "
        f"seal {head.event_hash[:16]}, at {head.verified_at.isoformat(timespec='seconds')}."
    )


COMMANDS = [audit_verify]
