"""Coverage figures for the open-data and dashboard teams: the public page's numbers."""

from __future__ import annotations

from flask import request
from flask_babel import get_locale

from ..models import ApiScope
from ..services.coverage.published import published_report
from ..web.api import api_scope
from . import bp
from .common import answer

READ = ApiScope.COVERAGE_READ.value


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
