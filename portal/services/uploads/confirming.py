"""Confirming an uploaded file once: the first of two clicks on "Import" wins."""

from __future__ import annotations

from typing import Any

from ...models._common import utcnow
from ..saving import update_rows


def confirm_once(upload: Any) -> bool:
    """Stamp `upload` (a model with `confirmed_at`) confirmed, unless another request has
    already: True when this one did."""
    model = type(upload)
    claimed = update_rows(
        model, model.id == upload.id, model.confirmed_at.is_(None), confirmed_at=utcnow()
    )
    return claimed == 1
