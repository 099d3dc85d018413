"""Every page the endpoint sweep reaches, for every role, checked as an auditor would:

- axe-core (WCAG 2.1 A and AA rules) in Chromium, at desktop width;
- the Nu HTML checker (vnu.jar) over the HTML the server sent, in one run for all pages;
- at 360 px (a phone) no page is wider than the screen.

The checkers come from the npm registry (tests/e2e/package.json, `make a11y-tools`), never a
CDN. One browser context per role and one Java run keep this within CI time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from portal.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from tests.e2e.conftest import DESKTOP, E2E_DIR, PHONE, _unavailable, login_in_browser
from tests.integration.security.test_endpoint_sweep import _request_for, _sweep_rules

AXE = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
VNU = E2E_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_LOGINS = {role.value: email for email, _, role in DEMO_USERS}
IDENTITIES = ["anonymous", *sorted(DEMO_LOGINS)]

#: Pages not yet clean, by path prefix, with the reason. Empty them as they are fixed.
KNOWN_AXE: dict[str, str] = {}
KNOWN_VNU: dict[str, str] = {}
KNOWN_WIDE: dict[str, str] = {}


def _known(path: str, known: dict[str, str]) -> bool:
    return any(path.startswith(prefix) for prefix in known)


def _identities() -> list[str]:
    """All roles; A11Y_ROLES=admin,anonymous narrows a local run (CI checks all)."""
    chosen = [r for r in os.environ.get("A11Y_ROLES", "").split(",") if r]
    return [i for i in IDENTITIES if not chosen or i in chosen]


@pytest.fixture
def demo_data(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def _pages(app) -> list[str]:
    """The URL of every GET page in the sweep (downloads are skipped when answered)."""
    pages = []
    for rule in _sweep_rules(app):
        method, url = _request_for(app, rule)
        if method == "GET" and not rule.endpoint.endswith("static"):
            pages.append(url)
    return pages


def _tools_or_skip() -> None:
    missing = [str(p) for p in (AXE, VNU) if not p.exists()]
    if missing:
        _unavailable(f"run `make a11y-tools` first (npm): missing {missing}")
    if not shutil.which("java"):
        _unavailable("java is missing: the Nu checker needs it")


# Colours are checked at rest: a stylesheet applied after the first style pass starts Bootstrap's
# 0.15 s colour transitions, and axe reading mid-way saw blends (#9797f8 on #0a58ca) that no
# user sees once the page has settled. Cancelling transitions jumps every colour to its end.
_AT_REST = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def _axe(page) -> list[dict]:
    """axe-core's WCAG 2.1 AA violations of the page as it looks once settled (the page's
    context must bypass CSP so the script and style can be added)."""
    page.add_style_tag(content=_AT_REST)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return result["violations"]


def _describe(violation: dict) -> str:
    targets = [" ".join(n["target"]) for n in violation["nodes"][:3]]
    return f"{violation['id']} ({len(violation['nodes'])}×: {', '.join(targets)})"


@pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")),
    reason="markup does not depend on the database: the SQLite run of `make test` checks it",
)
@pytest.mark.parametrize("identity", _identities())
def test_every_page_of_every_role_passes_axe_nu_and_fits_a_phone(
    identity, live_server, browser, demo_data, tmp_path
):
    """One role per test, so xdist workers share the roles."""
    _tools_or_skip()
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    saved: dict[str, str] = {}  # file name -> "path as role"
    axe_problems: list[str] = []
    wide_problems: list[str] = []
    checked = 0
    context = browser.new_context(
        locale="id-ID", timezone_id="Asia/Pontianak", viewport=PHONE, bypass_csp=True
    )
    page = context.new_page()
    if identity != "anonymous":
        login_in_browser(page, live_server, DEMO_LOGINS[identity], DEMO_PASSWORD)
    seen: set[str] = set()
    for url in _pages(live_server.app):
        page.set_viewport_size(PHONE)
        try:
            response = page.goto(live_server.url + url)
        except Exception:  # a download: no page to check
            continue
        final = page.url
        if response is None or response.status != 200 or final in seen:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        seen.add(final)
        checked += 1
        path = final.removeprefix(live_server.url)
        where = f"{path} as {identity}"
        name = re.sub(r"[^\w.-]+", "_", f"{identity}{path}") + ".html"
        (html_dir / name).write_text(response.text(), encoding="utf-8")
        saved[name] = where
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"] and not _known(path, KNOWN_WIDE):
            wide_problems.append(f"{where}: {width} px wide at 360 px")
        page.set_viewport_size(DESKTOP)
        violations = _axe(page)
        if violations and not _known(path, KNOWN_AXE):
            axe_problems.append(f"{where}: " + "; ".join(_describe(v) for v in violations))
    context.close()

    vnu_problems = _nu_check(html_dir, saved)
    assert checked >= 5, f"only {checked} pages as {identity}: is the demo data there?"
    report = axe_problems + vnu_problems + wide_problems
    assert not report, f"{len(report)} problems on {checked} pages:\n" + "\n".join(report)


def _nu_check(html_dir: Path, saved: dict[str, str]) -> list[str]:
    run = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            str(html_dir),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    problems: dict[str, list[str]] = {}
    for m in messages:
        name = Path(m.get("url", "")).name
        where = saved.get(name, name)
        if _known(where.split(" ", 1)[0], KNOWN_VNU):
            continue
        problems.setdefault(where, []).append(f"line {m.get('lastLine')}: {m['message']}")
    return [f"{where}: Nu: " + " | ".join(msgs[:5]) for where, msgs in problems.items()]
