"""The member card as a PDF download, for every side that may print one."""

from __future__ import annotations

from collections.abc import Callable

from flask import redirect
from fpdf import FPDF

from ..models import Membership
from ..pdf import pdf_response
from .forms import attempt


def card_download(
    membership: Membership, issue: Callable[[Membership], FPDF], refused: str | None = None
):
    """`issue` (a service command that records the card's issue) makes the card of
    `membership`; it downloads as `kartu-<KPJ>.pdf`. A refusal is flashed and, given
    `refused`, sends the user there."""
    kpj = membership.kpj  # read first: the commit expires the row
    issued, card = attempt(lambda: issue(membership))
    if not issued and refused is not None:
        return redirect(refused)
    return pdf_response(card, f"kartu-{kpj}.pdf")
