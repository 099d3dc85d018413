"""The member card: a one-page PDF with name, KPJ, programmes, start date and funding."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from ...domain.nik import mask
from ...models import Membership
from ...pdf import FONT, PortalPDF
from ..audit.trail import record_event
from ..errors import NotFound
from ..reference.choices import FUNDING_LABELS  # as the `funding` macro of bpjs/_state.html


def programmes_of(membership: Membership) -> list[str]:
    names = ["JKK", "JKM"]
    if membership.with_jht:
        names.append("JHT")
    if membership.with_jp:
        names.append("JP")
    return names


def member_card(membership: Membership, *, full_nik: bool = False) -> PortalPDF:
    """Build the card PDF (ID-1 card size, 85.6 × 54 mm). Reads only; changes nothing.

    Labels follow the request's language (Indonesian by default), dates are `dd MMM yyyy`.
    The NIK is masked as on every list (UU 27/2022: NIK with name and birth date is
    sensitive) unless the card is the member's own (`full_nik`). An ended membership has no
    card: NotFound.
    """
    if not membership.has_card:
        raise NotFound()
    worker = membership.worker
    pdf = PortalPDF(orientation="L", unit="mm", format=(54, 85.6))
    pdf.set_auto_page_break(False)
    pdf.set_margins(4, 4, 4)
    pdf.add_page()
    pdf.set_title(_("Member card %(kpj)s", kpj=membership.kpj))
    pdf.set_fill_color(0, 102, 68)
    pdf.rect(0, 0, 85.6, 11, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FONT, "B", 8)
    pdf.set_xy(4, 2)
    pdf.cell(0, 4, _("BPJS Ketenagakerjaan · Singkawang City"))
    pdf.set_font(FONT, "", 6)
    pdf.set_xy(4, 6)
    pdf.cell(0, 3, _("Member card"))
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(4, 13)
    pdf.set_font(FONT, "B", 9)
    pdf.cell(0, 5, worker.full_name[:40])
    pdf.set_font(FONT, "", 7)
    rows = [
        ("KPJ", membership.kpj),
        ("NIK", worker.nik if full_nik else mask(worker.nik)),
        (_("Birth date"), format_date(worker.birth_date, "dd MMM yyyy")),
        (_("Programmes"), ", ".join(programmes_of(membership))),
        (_("Member since"), format_date(membership.start_date, "dd MMM yyyy")),
        (_("Funding"), FUNDING_LABELS.get(membership.funding_source, membership.funding_source)),
    ]
    if membership.funded_batch is not None:
        rows.append((_("Programme"), membership.funded_batch.name[:45]))
    elif membership.business is not None:
        rows.append((_("Employer"), membership.business.name[:45]))
    if membership.end_date is not None:
        rows.append((_("Valid until"), format_date(membership.end_date, "dd MMM yyyy")))
    y = 19
    step = min(4.6, (52 - y) / len(rows))  # up to 8 rows fit above the card's lower edge
    for label, value in rows:
        pdf.set_xy(4, y)
        pdf.set_font(FONT, "", 6)
        pdf.cell(22, step, label)
        pdf.set_font(FONT, "B", 7)
        pdf.cell(0, step, str(value))
        y += step
    return pdf


def issue_card(membership: Membership, by: str | None = None) -> PortalPDF:
    """The member card, its download recorded in the audit trail (`by`: who asked, when not
    BPJS staff, e.g. "owner"). Who: BPJS staff, or the owner of the member's business."""
    summary = {"kpj": membership.kpj}
    if by:
        summary["by"] = by
    record_event("membership.card_downloaded", membership, summary)
    return member_card(membership)
