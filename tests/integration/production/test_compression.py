"""Responses are compressed with brotli or gzip when the client accepts it, text types only."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest
from flask import Response

from portal.web.access import public

CSS = "/static/vendor/bootstrap/bootstrap.min.css"
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}
# A CSRF token carries a timestamp: two requests a second apart differ there only.
_TOKEN = re.compile(rb'(csrf-token" content="|name="csrf_token"[^>]*value=")[^"]+')


def _same(body: bytes) -> bytes:
    return _TOKEN.sub(rb"\1<token>", body)


def _get(client, url: str, encoding: str | None = None, **headers):
    """GET, read the whole body and close the response (a static file's handle with it)."""
    if encoding:
        headers["Accept-Encoding"] = encoding
    with client.get(url, headers=headers) as response:
        response.get_data()
    return response


@pytest.mark.parametrize("encoding", ["gzip", "br"])
@pytest.mark.parametrize("url", ["/auth/login", CSS])
def test_pages_and_static_files_come_back_compressed(client, url, encoding):
    plain = _get(client, url)
    packed = _get(client, url, encoding)

    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    for response in (plain, packed):
        assert "accept-encoding" in response.headers["Vary"].lower()
    assert len(packed.data) < len(plain.data) / 2
    assert _same(DECODE[encoding](packed.data)) == _same(plain.data)


def test_brotli_is_preferred_when_the_browser_offers_everything(client):
    response = _get(client, "/auth/login", "gzip, deflate, br, zstd")
    assert response.headers["Content-Encoding"] == "br"


def test_a_page_that_is_not_in_the_list_of_encodings_is_sent_plain(client):
    response = _get(client, "/auth/login", "compress, identity")
    assert "Content-Encoding" not in response.headers
    assert b"<html" in response.data


def test_csv_is_compressed_but_xlsx_and_pdf_are_left_alone(app, client, login_as):
    app.config["COMPRESS_MIN_SIZE"] = 0  # an empty city's tables are small
    login_as("labour_head")
    base = "/dashboard/export/coverage-monthly"
    csv = _get(client, f"{base}.csv?period=2026-03", "br, gzip")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.headers["Content-Encoding"] == "br"
    assert brotli.decompress(csv.data) == _get(client, f"{base}.csv?period=2026-03").data

    for url, mimetype in [
        (f"{base}.xlsx?period=2026-03", "application/vnd.openxmlformats"),
        ("/dashboard/summary.pdf?period=2026-03", "application/pdf"),
    ]:
        response = _get(client, url, "br, gzip")
        assert response.status_code == 200, url
        assert response.mimetype.startswith(mimetype)
        assert "Content-Encoding" not in response.headers, url


def test_json_and_svg_are_on_the_list(app):
    assert {"application/json", "image/svg+xml", "text/javascript"} <= set(
        app.config["COMPRESS_MIMETYPES"]
    )


def test_a_streamed_no_store_response_keeps_its_body_and_headers(app, client):
    lines = [f"{i};baris ke-{i};{'x' * 40}\n" for i in range(300)]

    @public
    def streamed_export():
        return Response(
            (line for line in lines),
            mimetype="text/csv",
            headers={"Cache-Control": "private, no-store"},
        )

    app.add_url_rule("/_test/streamed.csv", view_func=streamed_export)
    for encoding in ("gzip", "br"):
        response = _get(client, "/_test/streamed.csv", encoding)
        assert response.headers["Content-Encoding"] == encoding
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "Content-Length" not in response.headers
        assert DECODE[encoding](response.data).decode() == "".join(lines)


def test_a_byte_range_of_a_static_file_is_not_compressed(client):
    whole = _get(client, CSS).data
    part = _get(client, CSS, "br, gzip", Range="bytes=0-99")
    assert part.status_code == 206
    assert "Content-Encoding" not in part.headers
    assert part.data == whole[:100]


def test_a_compressed_static_file_revalidates_to_304(client):
    first = _get(client, CSS, "gzip")
    etag = first.headers["ETag"]
    assert etag.endswith(':gzip"')  # its own validator: never confused with the plain file
    again = _get(client, CSS, "gzip", **{"If-None-Match": etag})
    assert again.status_code == 304
