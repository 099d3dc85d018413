"""Language and time-zone choice. Bahasa Indonesia unless the user picked English."""

import hashlib
import logging
import os
import tempfile
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import _get_current_context, get_translations

log = logging.getLogger("portal.i18n")
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


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


def request_translations():
    """The catalog of the request's language, looked up once per request.

    A list page asks for ~200 words; Flask-Babel's template callables find the domain, the
    locale's name and the cache again for each (a third of a list page's render time). The
    catalog is kept in Flask-Babel's own per-request slot `babel_translations`, which its
    `refresh()` empties and `force_locale()` sets aside and restores, so a language changed
    during a request is still honoured.
    """
    ctx = _get_current_context()  # None outside an app context
    if ctx is None:
        return get_translations()
    found = getattr(ctx, "babel_translations", None)
    if found is None:
        found = ctx.babel_translations = get_translations()
    return found


def install_template_gettext(app: Flask) -> None:
    """Templates' `_()`, `{% trans %}` and plural forms use `request_translations`
    (after `babel.init_app`, which installs Flask-Babel's slower callables)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )


def compile_catalogs(
    root: Path | None = None, *, out: Path | None = None, verbose: bool = False
) -> list[str]:
    """Compile every stale translations/<area>/<lang>/LC_MESSAGES/*.po to .mo (`messages.po`
    for the portal; `admin.po` is Flask-Admin's own "admin" domain, see portal.admin).

    Used by `make translations`, by the test suite and by every app at start-up
    (`ensure_catalogs`), so all see the same catalogs. Fuzzy entries are left out (as
    `pybabel compile` does). Each .mo is written to a temporary file and renamed, so
    parallel test workers and gunicorn workers can compile at the same time. The .mo goes
    beside its .po, or under `out` (same <area>/<lang>/LC_MESSAGES layout). Returns a line
    of statistics per compiled catalog.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = root or TRANSLATIONS
    report = []
    for po_path in sorted(root.glob("*/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if out is not None:
            mo_path = out / mo_path.relative_to(root)
            mo_path.parent.mkdir(parents=True, exist_ok=True)
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


def ensure_catalogs(app: Flask) -> None:
    """Compile missing or stale catalogs when the app is built, before Flask-Babel reads them.

    `.mo` files are build output (not committed), and the code that runs in production is
    the checkout (`gunicorn wsgi:app` imports the `portal` beside wsgi.py, whatever pip
    installed), so no install step can be relied on to have compiled them: the app does it
    itself. Up to date catalogs cost one `stat` each. When the checkout is read-only for the
    service user, the catalogs are compiled to a cache directory instead and Flask-Babel is
    pointed there.
    """
    configured = app.config.get("BABEL_TRANSLATION_DIRECTORIES", "")
    directories = [Path(p) for p in configured.split(";") if p]
    if not directories or any(d.parent != TRANSLATIONS for d in directories):
        return  # a test or deployer chose other catalogs: theirs to compile
    try:
        compiled = compile_catalogs()
    except OSError as exc:
        tag = hashlib.sha256(str(TRANSLATIONS).encode()).hexdigest()[:12]
        cache = Path(
            os.environ.get("PORTAL_CATALOG_CACHE")
            or Path(tempfile.gettempdir()) / f"portal-catalogs-{os.getuid()}-{tag}"
        )
        log.warning("translations not writable (%s); compiling into %s", exc, cache)
        compiled = compile_catalogs(out=cache)
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(
            str(cache / d.name) for d in directories
        )
    if compiled:
        log.info("compiled %d translation catalogs: %s", len(compiled), "; ".join(compiled))


if __name__ == "__main__":
    compile_catalogs(verbose=True)
