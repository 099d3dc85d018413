"""One JSON line per request with a request id; never a NIK or a password."""

from __future__ import annotations

import json
import logging

import pytest

from tests.factories import make_nik

NIK = make_nik()


@pytest.fixture
def request_lines():
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    logger = logging.getLogger("portal.request")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_each_request_writes_one_json_line_with_its_request_id(client, request_lines):
    response = client.get("/auth/login", headers={"X-Request-ID": "abcd1234-req"})
    assert response.headers["X-Request-ID"] == "abcd1234-req"
    assert len(request_lines) == 1
    line = json.loads(request_lines[0])
    assert line["request_id"] == "abcd1234-req"
    assert line["path"] == "/auth/login" and line["status"] == 200 and line["method"] == "GET"


def test_a_request_id_is_generated_when_none_is_given(client, request_lines):
    response = client.get("/")
    assert len(response.headers["X-Request-ID"]) == 36
    assert json.loads(request_lines[0])["request_id"] == response.headers["X-Request-ID"]


def test_nik_in_path_query_or_form_never_reaches_the_log(client, request_lines, caplog):
    caplog.set_level(logging.DEBUG)
    client.get(f"/employer/workers/{NIK}?q={NIK}")
    client.post("/auth/login", data={"email": f"{NIK}@example.id", "password": NIK})
    everything = "\n".join(request_lines) + caplog.text
    assert request_lines
    assert NIK not in everything
    assert "****************" in request_lines[0]


def test_password_never_reaches_the_log(client, request_lines, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/auth/login", data={"email": "a@example.id", "password": "Rahasia-Saya-77"})
    assert "Rahasia-Saya-77" not in "\n".join(request_lines) + caplog.text


def test_dev_server_access_lines_are_masked_too():
    from portal.request_log import MaskNik

    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '"GET /x?nik=%s HTTP/1.1" 200', (NIK,), None
    )
    MaskNik().filter(record)
    assert NIK not in record.getMessage()
