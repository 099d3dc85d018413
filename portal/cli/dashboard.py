"""`flask seed-scale`: generate a city-sized dataset for the dashboard and the benchmarks."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from ..demo.scale import ScaleOptions, ScaleSeedError, seed_city
from ..extensions import db
from ..services.coverage.periods import Month, PeriodError
from ..services.reference.seed import load_reference_data


@click.command("seed-scale")
@with_appcontext
@click.option("--workers", default=100_000, show_default=True, type=click.IntRange(1))
@click.option("--businesses", default=5_000, show_default=True, type=click.IntRange(1))
@click.option("--months", default=24, show_default=True, type=click.IntRange(6, 120))
@click.option("--complaints", default=3_000, show_default=True, type=click.IntRange(0))
@click.option("--seed", default=2026, show_default=True, help="Same seed, same city.")
@click.option("--end", default=None, help="Last month (YYYY-MM); default: this month.")
def seed_scale(workers, businesses, months, complaints, seed, end) -> None:
    """Generate a realistic city (bulk inserts) into an empty or demo database."""
    try:
        end_month = Month.parse(end) if end else None
    except PeriodError:
        raise click.BadParameter("write the month as YYYY-MM", param_hint="--end") from None
    started = time.perf_counter()
    load_reference_data()
    try:
        counts = seed_city(ScaleOptions(workers, businesses, months, complaints, seed, end_month))
    except ScaleSeedError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    took = time.perf_counter() - started
    click.echo(f"Generated in {took:.1f} s:")
    for table, n in counts.items():
        click.echo(f"  {table:<24} {n:>10,}")


COMMANDS = [seed_scale]
