"""The production files in deploy/ agree with each other, with gunicorn and with the app."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
GUNICORN_CONF = str(DEPLOY / "gunicorn.conf.py")


def _gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "REDIS_URL", "GUNICORN_ACCESS_LOG", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(GUNICORN_CONF)


def test_every_setting_in_the_gunicorn_file_is_a_valid_gunicorn_setting(monkeypatch):
    namespace = _gunicorn_settings(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    config = Config()
    helpers = {"annotations", "os", "re"}  # the file's imports, not settings
    settings = {
        k: v
        for k, v in namespace.items()
        if k[0].islower() and k not in helpers and not callable(v) and not k.startswith("_")
    }
    unknown = sorted(set(settings) - set(config.settings))
    assert not unknown, f"not gunicorn settings (typos?): {unknown}"
    for name, value in settings.items():
        config.set(name, value)  # gunicorn's own validation
    config.set("logger_class", namespace["logger_class"])
    assert config.secure_scheme_headers == {}  # forwarded headers: PROXY_HOPS in the app only
    assert config.wsgi_app == "wsgi:app" and Path(config.chdir) == ROOT


def test_workers_come_from_the_environment(monkeypatch):
    settings = _gunicorn_settings(
        monkeypatch, WEB_CONCURRENCY="4", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert settings["workers"] == 4
    assert _gunicorn_settings(monkeypatch, WEB_CONCURRENCY="1")["workers"] == 1


def test_several_workers_without_redis_refuse_to_start(monkeypatch):
    with pytest.raises(SystemExit, match="REDIS_URL"):
        _gunicorn_settings(monkeypatch, WEB_CONCURRENCY="3")


def test_the_access_log_can_be_switched_off(monkeypatch):
    assert (
        _gunicorn_settings(monkeypatch, WEB_CONCURRENCY="1", GUNICORN_ACCESS_LOG="off")["accesslog"]
        is None
    )


def _cron_commands() -> set[str]:
    lines = [
        line
        for line in (DEPLOY / "portal.cron").read_text().splitlines()
        if line.strip() and not line.startswith("#") and "=" not in line.split()[0]
    ]
    commands = set()
    for line in lines:
        fields = line.split()
        assert len(fields) > 6 and fields[5] == "portal", line  # /etc/cron.d format, user
        commands.add(re.search(r"flask --app wsgi ([a-z-]+)", line).group(1))
    return commands


def _timer_commands() -> set[str]:
    commands = set()
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        text = timer.read_text()
        assert "Persistent=true" in text and "Asia/Pontianak" in text, timer.name
        command = re.search(r"^Unit=portal-job@([a-z-]+)\.service$", text, re.M).group(1)
        assert timer.name == f"portal-{command}.timer"
        commands.add(command)
    return commands


def test_cron_and_systemd_run_the_same_daily_commands_the_readme_lists(app):
    readme = (ROOT / "README.md").read_text()
    jobs = readme.split("### Scheduled jobs", 1)[1].split("\n#", 1)[0]
    listed = set(re.findall(r"^\| `flask ([a-z-]+)` \|", jobs, re.M))
    assert listed == {
        "membership-sweep",
        "sla-sweep",
        "purge-uploads",
        "audit-verify",
        "member-reminders",
    }
    assert _cron_commands() == _timer_commands() == listed
    assert listed <= set(app.cli.list_commands(None))


def test_the_job_unit_runs_flask_from_the_checkout_with_the_environment_file():
    unit = (DEPLOY / "systemd" / "portal-job@.service").read_text()
    service = (DEPLOY / "systemd" / "portal.service").read_text()
    assert "ExecStart=/srv/portal/.venv/bin/flask --app wsgi %i" in unit
    assert "ExecStart=/srv/portal/.venv/bin/gunicorn -c deploy/gunicorn.conf.py" in service
    for text in (unit, service):
        assert "EnvironmentFile=/etc/portal/portal.env" in text
        assert "WorkingDirectory=/srv/portal" in text


def test_every_environment_variable_the_app_reads_is_in_the_deployment_table():
    table = (ROOT / "docs" / "DEPLOYMENT.md").read_text()
    read = set()
    for path in [*(ROOT / "portal").rglob("*.py"), DEPLOY / "gunicorn.conf.py"]:
        read |= set(re.findall(r"os\.environ(?:\.get)?[\[(]\"([A-Z_]+)\"", path.read_text()))
    assert read, "found no environment variables: the pattern is stale"
    missing = sorted(name for name in read if f"`{name}`" not in table)
    assert not missing, f"docs/DEPLOYMENT.md does not explain {missing}"
