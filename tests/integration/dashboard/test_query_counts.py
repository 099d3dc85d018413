"""Every dashboard page runs the same number of SQL queries with a handful of rows and with a
generated city (flask seed-scale at a small size)."""

from __future__ import annotations

import pytest

from portal.demo.scale import ScaleOptions, seed_city
from portal.extensions import db
from tests.factories_dashboard import (
    BatchMemberFactory,
    ComplaintFactory,
    ReprimandFactory,
    RequestFactory,
    TargetFactory,
)

PAGES = [
    ("labour_officer", "/dashboard/"),
    ("labour_officer", "/dashboard/?kecamatan=61.72.02&months=24"),
    ("bpjs_officer", "/dashboard/pipeline"),
    ("trade_officer", "/dashboard/pipeline?kecamatan=61.72.01"),
    ("bpjs_head", "/dashboard/service"),
    ("bpjs_officer", "/dashboard/batches"),
    ("bpjs_head", "/dashboard/batches?period=2026-01&kecamatan=61.72.01&due=1"),
    ("labour_officer", "/dashboard/estimates"),
    ("labour_head", "/dashboard/targets"),
    ("labour_head", "/dashboard/export/coverage-monthly.xlsx"),
    ("labour_head", "/dashboard/export/funded-batches.csv"),
    ("labour_head", "/dashboard/export/funded-batches.xlsx?period=2026-01&kecamatan=61.72.01"),
    ("labour_head", "/dashboard/summary.pdf"),
    (None, "/dashboard/public"),
    (None, "/dashboard/public?period=2026-04&kecamatan=61.72.01"),
    ("bpjs_officer", "/dashboard/official-counts"),
    ("labour_head", "/dashboard/export/coverage-portal.csv"),
]


def _queries(client, count_queries, url: str) -> list[str]:
    # The test client shares the test's session; start empty as a real request would, so
    # objects the garbage collector may or may not have dropped cannot change the count.
    db.session.remove()
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return [" ".join(s.split())[:100] for s in counter.statements]


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_page_query_count_does_not_grow_with_the_data(
    client, login_as, count_queries, small_city, role, url
):
    if role:
        login_as(role)
    RequestFactory(state="enrolled", decided_at=RequestFactory().submitted_at)
    ComplaintFactory()
    ReprimandFactory()
    BatchMemberFactory()
    TargetFactory(kecamatan_code="61.72.02", period="2026-01", target_pct=35)
    db.session.commit()
    client.get(url)  # warm-up: the first request of a session loads per-process caches
    small = _queries(client, count_queries, url)

    seed_city(ScaleOptions(workers=600, businesses=40, months=12, complaints=80))
    db.session.commit()
    large = _queries(client, count_queries, url)
    assert len(large) == len(small), (
        f"{url}: {len(small)} queries with a few rows, {len(large)} with a city:\n"
        + "\n".join(sorted(set(large) ^ set(small)))
    )


def test_generated_city_is_larger_than_the_few_rows(app):
    counts = seed_city(ScaleOptions(workers=600, businesses=40, months=12, complaints=80))
    assert counts["workers"] == 600 and counts["memberships"] > 100
    assert counts["contribution_payments"] > counts["memberships"]
    assert counts["complaints"] == 80 and counts["enrolment_requests"] > 20
