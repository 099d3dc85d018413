"""Rules of intake: content sniffing, contact normalisation, tracking codes."""

from __future__ import annotations

from portal.services.complaints.intake import (
    CODE_ALPHABET,
    new_tracking_code,
    normalise_email,
    normalise_phone,
    sniff,
)


def test_files_are_recognised_by_their_first_bytes_not_their_name():
    assert sniff(b"\xff\xd8\xff\xe0rest") == ("image/jpeg", "jpg")
    assert sniff(b"\x89PNG\r\n\x1a\nrest") == ("image/png", "png")
    assert sniff(b"%PDF-1.7 rest") == ("application/pdf", "pdf")
    assert sniff(b"MZ\x90\x00 windows executable") is None
    assert sniff(b"<svg onload=alert(1)>") is None
    assert sniff(b"") is None


def test_indonesian_phone_numbers_compare_in_any_notation():
    assert normalise_phone("+62 812-9876-5432") == "081298765432"
    assert normalise_phone("62812 9876 5432") == "081298765432"
    assert normalise_phone("0812.9876.5432") == "081298765432"
    assert normalise_phone(None) == ""


def test_emails_compare_case_insensitively():
    assert normalise_email("  Ani@Example.ID ") == "ani@example.id"


def test_tracking_codes_avoid_look_alike_symbols_and_do_not_repeat():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 14 and c.startswith("LPR-") for c in codes)
    assert not set("".join(c[4:] for c in codes)) - set(CODE_ALPHABET)
    assert not set("01ILO") & set(CODE_ALPHABET)
