from portal.pdf import PortalPDF


def test_pdf_renders_indonesian_text_and_rupiah():
    pdf = PortalPDF()
    pdf.add_page()
    pdf.multi_cell(0, 8, "Iuran bulanan – Rp 16.800 · Pekerja rentan")
    data = bytes(pdf.output())
    assert data.startswith(b"%PDF")
