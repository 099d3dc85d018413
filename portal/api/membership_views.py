"""Memberships by KPJ or NIK, for BPJS's own system only."""

from __future__ import annotations

from ..models import ApiScope
from ..services.membership.lookup import by_kpj, by_nik
from ..web.api import api_scope, run_command
from . import bp, serialise
from .common import answer, body_for

READ = ApiScope.ENROLMENT_READ.value


@bp.route("/v1/memberships/<kpj>")
@api_scope(READ, agency="bpjs")
def membership(kpj: str):
    value, status, headers = run_command(lambda: by_kpj(kpj), serialise.membership)
    return answer(value, status, headers)


@bp.route("/v1/memberships/search", methods=["POST"])
@api_scope(READ, agency="bpjs")
def membership_search():
    """A read sent as POST so the NIK never appears in a URL or an access log; audited."""
    body = body_for("NikSearch")
    value, status, headers = run_command(
        lambda: by_nik(body["nik"]),
        lambda found: {"items": [serialise.membership(m) for m in found]},
    )
    return answer(value, status, headers, etag=False)
