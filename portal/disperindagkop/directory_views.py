"""The directory of all businesses: filters, pages and CSV/XLSX export."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from ..exports import export_response
from ..services.businesses.directory import (
    DirectoryFilters,
    directory_page,
    export_directory,
    ids_with_unenrolled,
)
from ..web.access import TRADE, require
from ..web.forms import attempt, query_args
from ..web.page_cache import cached_page
from . import bp
from .forms import DirectoryFilterForm


def _filters(form: DirectoryFilterForm) -> DirectoryFilters:
    # Invalid choices (a hand-edited URL) are ignored, not fatal.
    valid = form.validate()
    return DirectoryFilters(
        kecamatan=form.kecamatan.data if valid or not form.kecamatan.errors else None,
        kelurahan=form.kelurahan.data if valid or not form.kelurahan.errors else None,
        sector=form.sector.data if valid or not form.sector.errors else None,
        scale=form.scale.data if valid or not form.scale.errors else None,
        state=form.state.data if valid or not form.state.errors else None,
        unenrolled_only=bool(form.unenrolled.data),
        query=form.q.data if valid or not form.q.errors else None,
    )


def _export_args() -> dict[str, str]:
    return query_args(DirectoryFilterForm(request.args))


@bp.route("/directory")
@cached_page
@require(TRADE)
def directory():
    form = DirectoryFilterForm(request.args)
    page = directory_page(_filters(form), request.args.get("page"))
    return render_template(
        "disperindagkop/directory.html",
        form=form,
        page=page,
        unenrolled=ids_with_unenrolled(b.id for b in page.items),
        export_args=_export_args(),
    )


@bp.route("/directory/export.<fmt>")
@require(TRADE)
def directory_download(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    filters = _filters(DirectoryFilterForm(request.args))
    saved, table = attempt(lambda: export_directory(filters, fmt))
    if not saved:
        return redirect(url_for(".directory", **_export_args()))
    return export_response(table, "direktori-usaha", fmt)
