"""Flask commands, one module per area, all top-level (`flask sla-sweep`): cron calls them.

Each module lists its click commands in `COMMANDS`; `register(app)` adds them all.
"""

from __future__ import annotations

from flask import Flask

from . import accounts, audit, bpjs, complaints, dashboard, data, informal


def register(app: Flask) -> None:
    for module in (data, accounts, audit, bpjs, complaints, dashboard, informal):
        for command in module.COMMANDS:
            app.cli.add_command(command)
