"""Saving rows that may clash with someone else's: one savepoint, one refusal per clash.

A unique constraint (a NIB, an open case per business, a referral per business) is the
database's answer to two clerks saving the same thing at once; a version counter
(`version_id_col`) is its answer to two clerks editing the same row. Either way the
transaction stays usable: the flush runs in a savepoint, and the clash becomes the
`ServiceError` the caller names, shown next to the field.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db


def flush_or_refuse(
    *new_rows: object, taken: Exception | None = None, stale: Exception | None = None
) -> None:
    """Add `new_rows` (if any) and flush pending changes in a savepoint.

    A unique-constraint clash raises `taken`, a lost race on a version counter raises
    `stale`; a clash without its refusal named propagates unchanged.
    """
    try:
        with db.session.begin_nested():
            db.session.add_all(new_rows)
            db.session.flush()
    except IntegrityError as exc:
        if taken is None:
            raise
        raise taken from exc
    except StaleDataError as exc:
        if stale is None:
            raise
        raise stale from exc


def update_rows(model: type, *where: object, **values: object) -> int:
    """Set `values` on the rows of `model` that match `where`, in one UPDATE the database
    runs (not through the session), and return how many rows it changed.

    The WHERE is the guard: of two requests claiming the same row (an unused link, an
    unconfirmed upload), one changes it and gets 1, the other gets 0 and refuses.
    """
    statement = (
        update(model).where(*where).values(**values).execution_options(synchronize_session=False)
    )
    return db.session.execute(statement).rowcount


def inserted(row: object) -> bool:
    """Add `row` and flush it in a savepoint. False when a unique constraint refused it
    (someone saved the same thing a moment ago): the row is not added, the transaction
    stays usable and the caller decides what that means."""
    try:
        flush_or_refuse(row)
    except IntegrityError:
        return False
    return True


def update_usable_links(model: type, *where: object, now: object, **values: object) -> int:
    """`update_rows` on the one-time links of `model` (a reset or invitation link) that match
    `where` and are still usable at `now`: not used and not expired. Returns how many changed.
    """
    return update_rows(model, *where, model.used_at.is_(None), model.expires_at > now, **values)
