"""The directory of all businesses: filters, pages and CSV/XLSX export."""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from ..exports import export_response
from ..extensions import db
from ..services.audit.trail import record_event
from ..services.businesses.directory import (
    DirectoryFilters,
    directory_export,
    directory_statement,
    ids_with_unenrolled,
)
from ..web.access import TRADE, require
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


@bp.route("/directory")
@require(TRADE)
def directory():
    form = DirectoryFilterForm(request.args)
    filters = _filters(form)
    page = db.paginate(
        directory_statement(filters), per_page=current_app.config["PAGE_SIZE"], error_out=False
    )
    unenrolled = ids_with_unenrolled(b.id for b in page.items)
    export_args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "disperindagkop/directory.html",
        form=form,
        page=page,
        unenrolled=unenrolled,
        export_args=export_args,
    )


@bp.route("/directory/export.<fmt>")
@require(TRADE)
def directory_download(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    filters = _filters(DirectoryFilterForm(request.args))
    # Who exported what is kept (personal data law: exports are logged).
    record_event("directory.exported", None, {"format": fmt, "filters": filters.__dict__})
    db.session.commit()
    response = export_response(directory_export(filters), "direktori-usaha", fmt)
    return response
