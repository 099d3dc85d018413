"""One page of a list, counted and cut in SQL, with a page number nobody can overflow."""

from __future__ import annotations

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from ..extensions import db

#: Far beyond any real list, and far below what would overflow an SQL OFFSET.
MAX_PAGE = 100_000


def page_number(raw: object) -> int:
    """A page number as a query string gives it ("3", "-1", "10**20", "x"): 1 … MAX_PAGE."""
    try:
        number = int(str(raw).strip()) if raw is not None else 1
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def page_of(stmt: Select, page: object = 1, per_page: int | None = None) -> Pagination:
    """The `page`-th page of `stmt` (two queries: the rows and the count)."""
    return db.paginate(
        stmt,
        page=page_number(page),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        error_out=False,
    )
