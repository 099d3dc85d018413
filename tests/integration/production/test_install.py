"""A deployer's install serves the Indonesian interface: no `make` step needed.

Followed as the README tells it: a fresh checkout (no compiled `.mo` files: they are build
output, ignored by git), `pip install` of the built wheel into a new virtualenv, then the
app as gunicorn builds it (`wsgi:app`, imported from the checkout). The app compiles the
catalogs itself when it starts (`portal.i18n.ensure_catalogs`).

The new virtualenv gets the project's dependencies through a `.pth` line pointing at this
interpreter's site-packages (added after the install, so pip never sees them): fast and
offline apart from the wheel build's own setuptools.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _checkout(target: Path) -> None:
    """Copy what a `git clone` of this working tree would hold (tracked and new files,
    nothing git ignores: no .venv, no instance/, no .mo files)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{args[:3]} failed:\n{result.stdout}\n{result.stderr}"
    return result


LOGIN_PAGE = """
import json, portal
from wsgi import app
response = app.test_client().get("/auth/login", base_url="https://portal.example")
print(json.dumps({"package": portal.__file__, "status": response.status_code,
                  "html": response.get_data(as_text=True)}))
"""


def test_fresh_install_serves_the_login_page_in_indonesian(tmp_path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git checkout to copy from")
    checkout = tmp_path / "portal"
    _checkout(checkout)
    assert not list(checkout.glob("translations/*/*/LC_MESSAGES/*.mo"))

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp_path / "dist", checkout])
    (wheel,) = (tmp_path / "dist").glob("singkawang_portal-*.whl")
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel])
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    Path(site.stdout.strip(), "project_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )

    env = {
        "PATH": "/usr/bin:/bin",
        "PORTAL_ENV": "production",
        "SECRET_KEY": "a-secret-for-the-install-test-of-at-least-32-bytes",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
    }
    result = _run([python, "-c", LOGIN_PAGE], cwd=checkout, env=env)
    page = json.loads(result.stdout.strip().splitlines()[-1])

    assert page["package"].startswith(str(checkout))  # as `gunicorn wsgi:app` imports it
    assert page["status"] == 200
    html = page["html"]
    assert '<html lang="id"' in html
    assert "Masuk" in html and "Kata sandi" in html
    assert ">Log in<" not in html and "Password" not in html
    assert list(checkout.glob("translations/core/id/LC_MESSAGES/messages.mo"))


def test_a_read_only_checkout_gets_its_catalogs_compiled_into_a_cache(tmp_path, monkeypatch):
    from flask_babel import gettext

    from portal import i18n
    from tests.conftest import make_app

    real = i18n.compile_catalogs

    def compile_catalogs(root=None, *, out=None, verbose=False):
        if out is None:
            raise PermissionError("read-only file system")
        return real(root, out=out, verbose=verbose)

    monkeypatch.setattr(i18n, "compile_catalogs", compile_catalogs)
    monkeypatch.setenv("PORTAL_CATALOG_CACHE", str(tmp_path))
    app = make_app("sqlite://")

    directories = app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")
    assert directories[-1] == str(tmp_path / "core")  # same order: core still wins
    assert all(d.startswith(str(tmp_path)) for d in directories)
    assert (tmp_path / "core" / "id" / "LC_MESSAGES" / "messages.mo").is_file()
    with app.test_request_context("/"):
        assert gettext("Log in") == "Masuk"
