"""Account tests read the mail the portal sends (after commit) instead of the log."""

from __future__ import annotations

import pytest

from portal.services.notifications import mailer


class MailLog:
    def __init__(self) -> None:
        self.sent: list[mailer.OutgoingMail] = []

    def __call__(self) -> list[tuple[str, str]]:
        """(recipient, subject) of every mail sent so far."""
        return [(m.to, m.subject) for m in self.sent]

    def last_body(self, to: str) -> str:
        return [m.body for m in self.sent if m.to == to][-1]


@pytest.fixture
def mail_log(monkeypatch) -> MailLog:
    log = MailLog()
    monkeypatch.setattr(mailer, "deliver", log.sent.append)
    return log
