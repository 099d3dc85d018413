"""The shape of the code is a contract (issue: one shape for the code), checked on every run.

- import-linter's contracts (pyproject.toml): blueprints → web → services → models → domain,
  blueprints independent of each other, no SQLAlchemy in blueprint modules;
- no blueprint module reaches the database or the audit trail through `portal.extensions`;
- no template compares a state string: it asks a predicate the model or service offers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLUEPRINTS = (
    "auth",
    "main",
    "employer",
    "bpjs",
    "disperindagkop",
    "disnaker",
    "complaints",
    "dashboard",
    "api",
    "informal",
)
DATABASE_IN_VIEWS = re.compile(
    r"db\.session\.(execute|scalar|scalars|get|query)\b|db\.paginate\(|\bselect\(|record_events?\("
)
STATE_COMPARISON = re.compile(r"""\.?state\s*(==|!=|\bin\b|\bnot in\b)\s*['"(\[]""")


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_no_blueprint_module_queries_the_database_or_writes_audit_events():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for name in BLUEPRINTS
        for path in sorted((ROOT / "portal" / name).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if DATABASE_IN_VIEWS.search(line)
    ]
    assert not found, "\n".join(found)


def test_no_template_compares_a_state_string():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{%" in line and STATE_COMPARISON.search(line)
    ]
    assert not found, "\n".join(found)


def test_view_modules_are_named_one_way():
    odd = [
        str(path.relative_to(ROOT))
        for name in BLUEPRINTS
        for path in sorted((ROOT / "portal" / name).glob("*.py"))
        if "@bp.route" in path.read_text() and not path.name.endswith("_views.py")
    ]
    assert not odd, odd
