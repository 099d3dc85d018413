"""PDF documents (member cards, reprimand letters, summaries) with fpdf2.

DejaVu Sans ships in portal/data/fonts so Indonesian text, "Rp" amounts and dashes render
on any machine.
"""

from __future__ import annotations

from pathlib import Path

from flask import Response
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts"
FONT = "DejaVu"


class PortalPDF(FPDF):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_font(FONT, size=10)
        self.set_creator("Portal Jamsostek Kota Singkawang")


def pdf_response(pdf: FPDF, filename: str, *, inline: bool = False) -> Response:
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "-_.") or "document.pdf"
    kind = "inline" if inline else "attachment"
    return Response(
        bytes(pdf.output()),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'{kind}; filename="{safe}"'},
    )
