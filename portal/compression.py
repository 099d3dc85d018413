"""Response compression (Flask-Compress): brotli or gzip, whichever the client accepts.

Text only — HTML, CSS, JavaScript, JSON, CSV, SVG (`COMPRESS_MIMETYPES` in config.py).
XLSX, PDF, images and uploaded attachments are already compressed and pass untouched, as
does any response that already has a Content-Encoding (nothing is compressed twice, here or
by a proxy that sees the header). Streamed responses (static files are streamed) are
compressed chunk by chunk; `Cache-Control` (a `no-store` export) is left as it was.
Every response carries `Vary: Accept-Encoding`, so caches keep the encodings apart.
"""

from __future__ import annotations

from flask import Flask, Response
from flask_compress import Compress


class PortalCompress(Compress):
    def after_request(self, response: Response) -> Response:
        # A byte range (206) counts bytes of the file as stored: compressing the slice would
        # make Content-Range lie. Browsers only ask ranges of media, never of our pages.
        if response.status_code == 206 or "Content-Range" in response.headers:
            return response
        original = response.response if response.is_streamed else None
        response = super().after_request(response)
        if original is not None and response.response is not original:
            # The body now iterates over a compressor; the file it reads (a static file's
            # wrapper) must still be closed when the server closes the response.
            close = getattr(original, "close", None)
            if close is not None:
                response.call_on_close(close)
        return response


def install_compression(app: Flask) -> None:
    """One Compress per app: it keeps the app's mimetypes and algorithms on itself."""
    PortalCompress().init_app(app)
