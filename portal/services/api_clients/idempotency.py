"""POSTs with an `Idempotency-Key`: the key is claimed (a row inserted) before the command
runs and the answer is stored in the same transaction as the change it reports, so a repeat
(a retry after a lost connection) gets the same answer and nothing is done twice. Two repeats
at the same moment: the unique (client, key) makes the second insert wait for the first
transaction and then fail; it rolls back and replays the winner's answer. A refused command
rolls its claim back with it: the key may be used again.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from ...extensions import db
from ...models import ApiIdempotentAnswer

MAX_KEY_LENGTH = 100


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def stored_answer(client_id: int, key: str) -> ApiIdempotentAnswer | None:
    return db.session.scalar(
        select(ApiIdempotentAnswer).where(
            ApiIdempotentAnswer.client_id == client_id, ApiIdempotentAnswer.key == key
        )
    )


def claim_key(client_id: int, key: str, fingerprint_: str) -> ApiIdempotentAnswer:
    """Insert the key's row now (IntegrityError: someone holds it); the caller fills in the
    answer with `keep_answer` and commits both with the change."""
    row = ApiIdempotentAnswer(
        client_id=client_id, key=key, fingerprint=fingerprint_, status=0, body=""
    )
    db.session.add(row)
    db.session.flush()
    return row


def keep_answer(row: ApiIdempotentAnswer, status: int, body: str) -> None:
    row.status = status
    row.body = body
