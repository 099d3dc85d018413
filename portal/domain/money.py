"""Money is whole rupiah (int). One formatter for the whole portal: `Rp 1.234.567`."""

from __future__ import annotations


def format_rupiah(amount: int | None) -> str:
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(int(amount)):,}".replace(",", ".")


def parse_rupiah(text: str) -> int | None:
    """Read what people type: "Rp 1.500.000", "1500000", "1,500,000". None if not a number."""
    cleaned = text.strip().lower().removeprefix("rp").strip().replace(" ", "")
    # Dots and commas are thousands separators; rupiah amounts have no cents here.
    cleaned = cleaned.replace(".", "").replace(",", "")
    if not cleaned.isdigit():
        return None
    return int(cleaned)
