"""Language and time-zone choice. Bahasa Indonesia unless the user picked English."""

import os
from pathlib import Path

from flask import current_app, has_request_context, request, session


def select_locale() -> str:
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # CLI, app set-up: the default language
        return default
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    # Only an explicit choice switches language: the default is Indonesian for everyone.
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"]:
        return asked
    return default


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def compile_catalogs(root: Path | None = None, *, verbose: bool = False) -> list[str]:
    """Compile every stale translations/<area>/<lang>/LC_MESSAGES/messages.po to .mo.

    Used by `make translations` and by the test suite, so both see the same catalogs. Fuzzy
    entries are left out (as `pybabel compile` does). Each .mo is written to a temporary
    file and renamed, so parallel test workers can compile at the same time. Returns a line
    of statistics per compiled catalog.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = root or Path(__file__).resolve().parent.parent / "translations"
    report = []
    for po_path in sorted(root.glob("*/*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        messages = [m for m in catalog if m.id]
        done = sum(1 for m in messages if m.string and not m.fuzzy)
        tmp = mo_path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog)
        os.replace(tmp, mo_path)
        report.append(f"{po_path.relative_to(root)}: {done} of {len(messages)} translated")
    if verbose:
        print("\n".join(report) or "translations are up to date")
    return report


if __name__ == "__main__":
    compile_catalogs(verbose=True)
