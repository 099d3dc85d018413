"""Memberships by KPJ or NIK, for BPJS's own system only."""

from __future__ import annotations

from ..models import ApiScope
from ..services.membership.lookup import by_kpj, by_nik
from ..web.api import api_scope
from . import bp, serialise
from .common import answer, body_for

READ = ApiScope.ENROLMENT_READ.value


@bp.route("/v1/memberships/<kpj>")
@api_scope(READ, agency="bpjs")
def membership(kpj: str):
    return answer(serialise.membership(by_kpj(kpj)))


@bp.route("/v1/memberships/search", methods=["POST"])
@api_scope(READ, agency="bpjs")
def membership_search():
    """A read sent as POST so the NIK never appears in a URL or an access log."""
    body = body_for("NikSearch")
    found = by_nik(body["nik"])  # a refused NIK: 422 at the field (the blueprint's handler)
    return answer({"items": [serialise.membership(m) for m in found]}, etag=False)
