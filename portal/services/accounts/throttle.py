"""Login throttling an attacker cannot turn against the owner: growing delays, never a lock.

Failures are counted per typed email twice: from the address they came from (the pair) and
from every address (the account). A pair may fail `LOGIN_PAIR_FREE_FAILURES` times freely;
after that each failure makes the next attempt from that address wait a delay that doubles
(`LOGIN_DELAY_BASE`, 2×, … up to `LOGIN_PAIR_MAX_DELAY`). The account row counts failures from
all addresses against a generous ceiling (`LOGIN_ACCOUNT_FREE_FAILURES`) with its own, shorter
cap (`LOGIN_ACCOUNT_MAX_DELAY`), and it never delays an address the account has already logged
in from (a `LoginSession` row): one address's guessing, or a spread-out attack, cannot keep
the owner out of their usual computer, and elsewhere they wait at most a few minutes.

The same is done for every typed email, existing or not, and a throttled attempt is refused
before the password is checked, so neither the delay nor the message tells whether the
account exists. Counts are forgotten after `LOGIN_THROTTLE_FORGET` without a failure (and
their rows deleted: the table holds typed emails and addresses); a success clears them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import case, delete, or_, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import LoginSession, LoginThrottle, User
from ...models._common import utcnow
from ..saving import update_rows

EVERY_ADDRESS = LoginThrottle.EVERY_ADDRESS


def client_address() -> str:
    """The caller's address (outside a request, e.g. a CLI check: "unknown")."""
    if not has_request_context():
        return "unknown"
    return (request.remote_addr or "unknown")[:45]


def growing_delay(failures: int, free: int, cap: timedelta) -> timedelta:
    """No wait for the first `free` failures, then the base delay doubling up to `cap`."""
    if failures < free:
        return timedelta(0)
    base = current_app.config["LOGIN_DELAY_BASE"]
    doublings = min(failures - free, 30)  # 2**30 base-delays is past any cap
    return min(cap, base * (2**doublings))


def _rows(email: str, ip: str) -> dict[str, LoginThrottle]:
    rows = db.session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.email == email, LoginThrottle.ip.in_([ip, EVERY_ADDRESS]))
        .execution_options(populate_existing=True)
    )
    return {row.ip: row for row in rows}


def _known_address(user: User | None, ip: str) -> bool:
    if user is None:
        return False
    return (
        db.session.scalar(
            select(LoginSession.id)
            .where(LoginSession.user_id == user.id, LoginSession.ip == ip)
            .limit(1)
        )
        is not None
    )


def waiting_until(email: str, user: User | None) -> datetime | None:
    """When the next attempt for `email` from this request's address may be made, if later
    than now. `user` (the account, or None) only decides whether the address is known."""
    now = utcnow()
    ip = client_address()
    rows = _rows(email, ip)
    blocks = [rows[ip].blocked_until] if ip in rows else []
    account = rows.get(EVERY_ADDRESS)
    if account is not None and not _known_address(user, ip):
        blocks.append(account.blocked_until)
    later = [b for b in blocks if b is not None and b > now]
    return max(later) if later else None


def _count(email: str, ip: str, free: int, cap: timedelta) -> None:
    now = utcnow()
    forget = now - current_app.config["LOGIN_THROTTLE_FORGET"]
    where = (LoginThrottle.email == email, LoginThrottle.ip == ip)
    inserted = False
    if db.session.scalar(select(LoginThrottle.id).where(*where)) is None:
        forget_stale()  # a new key: the table keeps only the last hour's failing keys
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(email=email, ip=ip, failures=1, last_failure_at=now))
            inserted = True
        except IntegrityError:  # a concurrent failure inserted it first: count on its row
            pass
    if not inserted:
        # One UPDATE, so concurrent failures are all counted (no read-modify-write race);
        # a count idle for LOGIN_THROTTLE_FORGET starts again at one.
        update_rows(
            LoginThrottle,
            *where,
            failures=case(
                (LoginThrottle.last_failure_at < forget, 1),
                else_=LoginThrottle.failures + 1,
            ),
            last_failure_at=now,
        )
    failures = db.session.scalar(select(LoginThrottle.failures).where(*where))
    delay = growing_delay(failures, free, cap)
    update_rows(LoginThrottle, *where, blocked_until=now + delay if delay else None)


def count_failure(email: str) -> None:
    """A failed attempt for `email` from this request's address: count it on both rows."""
    config = current_app.config
    _count(
        email,
        client_address(),
        config["LOGIN_PAIR_FREE_FAILURES"],
        config["LOGIN_PAIR_MAX_DELAY"],
    )
    _count(
        email,
        EVERY_ADDRESS,
        config["LOGIN_ACCOUNT_FREE_FAILURES"],
        config["LOGIN_ACCOUNT_MAX_DELAY"],
    )


def clear(email: str) -> int:
    """Forget every count for `email` (a success, an admin's unlock, a password reset)."""
    return db.session.execute(delete(LoginThrottle).where(LoginThrottle.email == email)).rowcount


def forget_stale() -> int:
    """Delete counts with no failure for `LOGIN_THROTTLE_FORGET` (they no longer delay; one
    indexed DELETE, run whenever a new email or address starts failing, so no cron job)."""
    cutoff = utcnow() - current_app.config["LOGIN_THROTTLE_FORGET"]
    return db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < cutoff,
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < utcnow()),
        )
    ).rowcount
