"""Coverage figures for the open-data and dashboard teams (the public page's numbers), and
BPJS's official participant counts (recorded by the same command as the dashboard form)."""

from __future__ import annotations

from flask import request
from flask_babel import get_locale
from flask_login import current_user

from ..models import ApiScope
from ..services.coverage.official import CountInput, counts_page, record_official_count
from ..services.coverage.published import published_report
from ..services.errors import InvalidInput, ServiceError
from ..web.api import api_scope, run_command
from . import bp, serialise
from .common import answer, body_for, limit_arg

READ = ApiScope.COVERAGE_READ.value
WRITE = ApiScope.COVERAGE_WRITE.value


def _share(s) -> dict:
    return {
        "key": s.key,
        "label": s.label,
        "members": s.members,
        "workforce": s.workforce,
        "pct": None if s.pct is None else round(s.pct, 2),
        "target_pct": getattr(s, "target_pct", None),
    }


@bp.route("/v1/coverage")
@api_scope(READ)
def coverage():
    report = published_report(
        request.args.get("period"),
        request.args.get("months"),
        request.args.get("kecamatan"),
        str(get_locale() or "id"),
    )
    return answer(
        {
            "period": str(report.scope.end),
            "months": report.scope.months,
            "kecamatan": report.scope.kecamatan,
            "now": _share(report.now),
            "series": [_share(p) for p in report.series],
            "by_kecamatan": [_share(s) for s in report.by_kecamatan],
            "by_sector": [_share(s) for s in report.by_sector],
            "by_category": [_share(s) for s in report.by_category],
            "baseline_pct": report.baseline_pct,
            "target_band_pct": [report.band_low_pct, report.band_high_pct],
            "missing_estimates": list(report.missing_estimates),
        }
    )


@bp.route("/v1/official-counts")
@api_scope(READ, also=(WRITE,))
def official_counts():
    page = counts_page(
        month=request.args.get("month"),
        cursor=request.args.get("cursor"),
        limit=limit_arg(),
    )
    return answer(
        {
            "items": [serialise.official_count(c) for c in page.items],
            "next_cursor": page.next_cursor,
        }
    )


#: The form's field names (as the service refuses them) → the API body's.
_BODY_FIELDS = {"period": "month", "active_participants": "count", "source_document": "source"}


def _record_count(body: dict):
    """The dashboard form's command; its refusals at the body's field names."""
    try:
        return record_official_count(
            CountInput(
                period=body["month"],
                kecamatan_code=body["kecamatan_code"],
                category=body["category"],
                active_participants=body["count"],
                source_document=body["source"],
            ),
            current_user._get_current_object(),
            replace=body.get("replace", False),
        )
    except ServiceError as error:
        if all(field is None for field, _m in error.problems):
            raise
        raise InvalidInput([(_BODY_FIELDS.get(f, f), m) for f, m in error.problems]) from None


@bp.route("/v1/official-counts", methods=["POST"])
@api_scope(WRITE, agency="bpjs")
def official_count_record():
    body = body_for("OfficialCountInput")
    value, status, headers = run_command(
        lambda: _record_count(body),
        lambda recorded: {
            "outcome": recorded.outcome,
            "count": serialise.official_count(recorded.count),
        },
    )
    return answer(value, status, headers, etag=False)
