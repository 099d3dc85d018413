"""The reprimand as an Indonesian official letter (*surat dinas*), rendered with PortalPDF.

Parts in the usual order: letterhead (kop surat), place and date, Nomor / Sifat / Lampiran /
Perihal, recipient, legal basis (dasar), finding, corrective action required, deadline,
consequence, signature block of the head of office, and copies (tembusan). The letter is
always in Indonesian, whatever the reader's UI language.
"""

from __future__ import annotations

from babel.dates import format_date

from ...domain.clock import wib_day
from ...domain.normalise import nip_shown
from ...models import Reprimand, User
from ...pdf import FONT, PortalPDF
from .workflow import ROMAN

DASAR = [
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
    "Peraturan Presiden Nomor 76 Tahun 2013 tentang Pengelolaan Pengaduan Pelayanan Publik;",
    "Peraturan Menteri PANRB Nomor 62 Tahun 2018 tentang Pedoman Sistem Pengelolaan "
    "Pengaduan Pelayanan Publik Nasional;",
    "Instruksi Presiden Nomor 2 Tahun 2021 tentang Optimalisasi Pelaksanaan Program Jaminan "
    "Sosial Ketenagakerjaan.",
]
DEFAULT_CONSEQUENCE = (
    "Apabila sampai dengan batas waktu tersebut tindakan perbaikan belum dilaksanakan, "
    "akan diterbitkan teguran tingkat berikutnya dan hal ini dilaporkan kepada Wali Kota "
    "Singkawang serta Ombudsman Republik Indonesia Perwakilan Kalimantan Barat."
)
WITHDRAWN_MARK = "SURAT INI TELAH DITARIK DAN TIDAK BERLAKU SEJAK"
TEMBUSAN = [
    "Wali Kota Singkawang (sebagai laporan);",
    "Sekretaris Daerah Kota Singkawang;",
    "Inspektorat Kota Singkawang;",
    "Arsip.",
]


CLOSING = "Demikian surat teguran ini disampaikan untuk dilaksanakan sebagaimana mestinya."


def _id_date(value) -> str:
    return format_date(value, "d MMMM yyyy", locale="id")


def letter_pdf(reprimand: Reprimand, signer: User | None) -> PortalPDF:
    """Build the letter. Expects agencies, parent, complaints and enrolments loaded."""
    pdf = PortalPDF(format="A4")
    pdf.set_margins(25, 15, 20)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    # Kop surat
    pdf.set_font(FONT, "B", 13)
    pdf.cell(width, 6, "PEMERINTAH KOTA SINGKAWANG", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        width, 6, reprimand.issuing_agency.name.upper(), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(FONT, "", 9)
    pdf.cell(width, 5, "Singkawang, Kalimantan Barat", align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + 1, pdf.l_margin + width, y + 1)
    pdf.ln(6)

    if reprimand.is_withdrawn:  # the letter stays on file, marked as not standing
        pdf.set_font(FONT, "B", 12)
        pdf.set_text_color(176, 0, 32)
        withdrawn = wib_day(reprimand.withdrawn_at) if reprimand.withdrawn_at else None
        pdf.multi_cell(
            width,
            6,
            f"{WITHDRAWN_MARK} {_id_date(withdrawn) if withdrawn else '-'}",
            align="C",
            border=1,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0, 0, 0)
        pdf.ln(3)
    pdf.set_font(FONT, "", 10)
    issued = wib_day(reprimand.issued_at) if reprimand.issued_at else None
    pdf.cell(width, 5, f"Singkawang, {_id_date(issued) if issued else '-'}", align="R")
    pdf.ln(8)
    attachments = len(reprimand.complaints) + len(reprimand.enrolment_requests)
    rows = [
        ("Nomor", reprimand.letter_number or "-"),
        ("Sifat", "Penting"),
        ("Lampiran", f"1 (satu) berkas, {attachments} perkara" if attachments else "-"),
        ("Perihal", f"Teguran {ROMAN[reprimand.level]} – {reprimand.subject}"),
    ]
    for label, value in rows:
        pdf.cell(25, 5, label)
        pdf.cell(4, 5, ":")
        pdf.multi_cell(width - 29, 5, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(
        width,
        5,
        "Kepada Yth.\nKepala " + reprimand.addressed_agency.name,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(width, 5, "di –\n      Singkawang", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    def section(title: str, body: str) -> None:
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(width, 5, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(width, 5, body, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    dasar = list(DASAR)
    parent = reprimand.parent
    if parent is not None:  # a level II/III letter rests on the letter it follows
        parent_day = wib_day(parent.issued_at) if parent.issued_at else None
        dasar[-1] = dasar[-1].rstrip(".") + ";"
        dasar.append(
            f"Surat Teguran {ROMAN.get(parent.level, parent.level)} Nomor "
            f"{parent.letter_number or '-'} tanggal {_id_date(parent_day) if parent_day else '-'}"
            " yang belum ditindaklanjuti secara memadai."
        )
    section("Dasar:", "\n".join(f"{i}. {line}" for i, line in enumerate(dasar, 1)))
    section("Temuan:", reprimand.finding)
    cited = [f"- Pengaduan {c.tracking_code}: {c.subject}" for c in reprimand.complaints] + [
        f"- Permohonan kepesertaan #{e.id}, batas waktu {_id_date(e.sla_due) if e.sla_due else '-'}"
        for e in reprimand.enrolment_requests
    ]
    if cited:
        section("Perkara yang menjadi dasar teguran:", "\n".join(cited))
    section("Tindakan perbaikan yang diminta:", reprimand.required_action)
    section(
        "Batas waktu:",
        f"Tindakan perbaikan dan tanggapan tertulis disampaikan paling lambat "
        f"{_id_date(reprimand.deadline)}.",
    )
    # The consequence, the closing sentence and the signature block (with the copies) stay on
    # one page: when they do not fit, they move to the next page together, so the signature
    # never stands alone there.
    consequence = reprimand.consequence or DEFAULT_CONSEQUENCE
    head_title = "KEPALA " + reprimand.issuing_agency.name.upper() + ","
    signer_name = signer.name if signer else "-"
    needed = (
        _height(pdf, width, 5, "Konsekuensi:", "B", 10)
        + _height(pdf, width, 5, consequence, "", 10)
        + 2
        + _height(pdf, width, 5, CLOSING, "", 10)
        + 6
        + _height(pdf, width / 2, 5, head_title, "", 10)
        + 16
        + _height(pdf, width / 2, 5, signer_name, "B", 10)
        + 5  # NIP
        + 4
        + _height(pdf, width, 4.2, _tembusan(), "", 9)
    )
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    section("Konsekuensi:", consequence)
    pdf.multi_cell(width, 5, CLOSING, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    # Signature block (right half): office, space to sign, name, NIP.
    x = pdf.l_margin + width / 2
    pdf.set_x(x)
    pdf.multi_cell(width / 2, 5, head_title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(16)
    pdf.set_x(x)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(width / 2, 5, signer_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.set_x(x)
    nip = nip_shown(signer.nip) if signer and signer.nip else "-"
    pdf.multi_cell(width / 2, 5, f"NIP. {nip}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(width, 4.2, _tembusan(), new_x="LMARGIN", new_y="NEXT")
    return pdf


def _tembusan() -> str:
    return "Tembusan:\n" + "\n".join(f"{i}. {t}" for i, t in enumerate(TEMBUSAN, 1))


def _height(pdf: PortalPDF, width: float, line: float, text: str, style: str, size: int) -> float:
    """How tall `text` comes out in a multi_cell of `width` (nothing is drawn)."""
    font = (pdf.font_family, pdf.font_style, pdf.font_size_pt)
    pdf.set_font(FONT, style, size)
    lines = pdf.multi_cell(width, line, text, dry_run=True, output="LINES")
    pdf.set_font(font[0], font[1], font[2])
    return len(lines) * line
