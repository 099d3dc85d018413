"""Busy pages served again from the page store (portal/web/page_cache.py), and never once what
they showed has changed, the login behind them has ended, or the request is another's.

The suite runs with the store off (`PAGE_CACHE_SECONDS = 0`); these tests switch it on for
their app. Versions live in the process here; the Redis test shows two apps sharing them.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import EnrolmentRequest, Setting
from portal.web import page_cache
from portal.web.access import public
from portal.web.page_cache import HIT_HEADER, cached_page, install_page_cache
from tests.conftest import PASSWORD, make_app
from tests.factories import BusinessFactory, UserFactory
from tests.factories_bpjs import EnrolmentRequestFactory
from tests.factories_complaints import OpenComplaintFactory
from tests.required import unreachable

QUEUE = "/bpjs/queue"


def _switch_on(app) -> None:
    app.config["PAGE_CACHE_SECONDS"] = 60
    install_page_cache(app)


@pytest.fixture
def cached(app):
    _switch_on(app)
    yield app
    page_cache.clear()
    app.extensions.pop("page_cache", None)


def _hit(response) -> bool:
    return response.headers.get(HIT_HEADER) == "hit"


def test_the_second_view_is_the_stored_page_and_sends_no_sql(
    cached, client, login_as, count_queries
):
    login_as("bpjs_officer")
    request = EnrolmentRequestFactory()
    db.session.commit()
    first = client.get(QUEUE)
    assert first.status_code == 200 and not _hit(first)
    with count_queries() as q:
        second = client.get(QUEUE)
    assert _hit(second) and q.count == 0
    assert second.get_data() == first.get_data()
    assert request.worker.full_name in second.get_data(as_text=True)


def test_a_change_to_what_the_page_shows_is_seen_at_once(cached, client, login_as):
    login_as("bpjs_officer")
    EnrolmentRequestFactory()
    db.session.commit()
    client.get(QUEUE)
    assert _hit(client.get(QUEUE))
    newcomer = EnrolmentRequestFactory()
    db.session.commit()
    page = client.get(QUEUE)
    assert not _hit(page)
    assert newcomer.worker.full_name in page.get_data(as_text=True)
    # A change made with a statement rather than through an object is seen too.
    db.session.execute(
        update(EnrolmentRequest).where(EnrolmentRequest.id == newcomer.id).values(state="rejected")
    )
    db.session.commit()
    page = client.get(QUEUE)
    assert not _hit(page)
    assert newcomer.worker.full_name not in page.get_data(as_text=True)


def test_a_change_to_a_table_the_page_does_not_read_keeps_it(cached, client, login_as):
    login_as("bpjs_officer")
    client.get(QUEUE)
    OpenComplaintFactory()  # complaints: not on the BPJS queue
    db.session.commit()
    assert _hit(client.get(QUEUE))


def test_a_rolled_back_change_keeps_the_page(cached, client, login_as):
    login_as("bpjs_officer")
    client.get(QUEUE)
    EnrolmentRequestFactory()
    db.session.flush()
    db.session.rollback()
    assert _hit(client.get(QUEUE))


def test_a_copied_cookie_is_not_served_the_page_once_its_session_logged_out(
    cached, app, client, login_as
):
    login_as("bpjs_officer")
    client.get(QUEUE)
    assert _hit(client.get(QUEUE))
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert _hit(thief.get(QUEUE))  # the same login session: the same page
    client.post("/auth/logout")
    response = thief.get(QUEUE)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_deactivated_user_or_a_changed_role_is_asked_again(cached, client, login_as):
    officer = login_as("bpjs_officer")
    client.get(QUEUE)
    assert _hit(client.get(QUEUE))
    officer.role = "trade_officer"
    db.session.commit()
    assert client.get(QUEUE).status_code == 403
    officer.role = "bpjs_officer"
    db.session.commit()
    client.get(QUEUE)
    assert _hit(client.get(QUEUE))
    officer.active = False
    db.session.commit()
    assert client.get(QUEUE).status_code == 302


def test_a_page_is_not_served_past_the_end_of_its_login_session(cached, client, login_as, clock):
    start = datetime(2026, 12, 7, 1, 0, 30, tzinfo=UTC)
    clock.now = start
    login_as("bpjs_officer")
    ends = start + cached.permanent_session_lifetime
    clock.now = ends - timedelta(seconds=20)  # same minute as the end: the same entry key
    client.get(QUEUE)  # stamps the session's last activity (a write): not stored
    client.get(QUEUE)
    assert _hit(client.get(QUEUE))
    clock.now = ends + timedelta(seconds=5)
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_pending_message_is_shown_and_such_a_view_is_not_stored(cached, client, login_as):
    login_as("bpjs_officer")
    client.get(QUEUE)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Pesan sekali tampil")]
    shown = client.get(QUEUE)
    assert not _hit(shown) and "Pesan sekali tampil" in shown.get_data(as_text=True)
    again = client.get(QUEUE)
    assert _hit(again) and "Pesan sekali tampil" not in again.get_data(as_text=True)


def test_each_owner_gets_his_own_page(cached, app, client, login_as):
    first = login_as("business_owner")
    BusinessFactory(owner=first, name="Toko Pertama")
    other = UserFactory(role="business_owner")
    BusinessFactory(owner=other, name="Bengkel Kedua")
    db.session.commit()
    assert "Toko Pertama" in client.get("/employer/").get_data(as_text=True)
    second_client = app.test_client()
    response = second_client.post("/auth/login", data={"email": other.email, "password": PASSWORD})
    assert response.status_code == 302
    page = second_client.get("/employer/").get_data(as_text=True)
    assert "Bengkel Kedua" in page and "Toko Pertama" not in page


def test_each_language_and_query_string_is_a_page_of_its_own(cached, client, login_as):
    login_as("bpjs_officer")
    EnrolmentRequestFactory()
    db.session.commit()
    indonesian = client.get(QUEUE).get_data(as_text=True)
    client.post("/language/en", data={"next": QUEUE})
    english = client.get(QUEUE)
    assert not _hit(english) and english.get_data(as_text=True) != indonesian
    assert 'lang="en"' in english.get_data(as_text=True)
    filtered = client.get(QUEUE + "?overdue=y")
    assert not _hit(filtered)


def test_a_write_committed_while_the_page_renders_is_seen_next_time(database_url, _schema):
    """The versions are read before the render: a page that read the old value is stored as
    older than the change, so the next view renders again."""
    app = make_app(database_url, PAGE_CACHE_SECONDS=60)
    with app.app_context():
        db.session.execute(db.delete(Setting).where(Setting.key == "page-cache-probe"))
        db.session.add(Setting(key="page-cache-probe", value="old", description="test"))
        db.session.commit()
    changed = threading.Event()

    def change_it() -> None:
        with app.app_context():
            db.session.execute(
                update(Setting).where(Setting.key == "page-cache-probe").values(value="new")
            )
            db.session.commit()
            db.session.remove()
        changed.set()

    @public
    @cached_page
    def probe():
        value = db.session.scalar(select(Setting.value).where(Setting.key == "page-cache-probe"))
        if value == "old" and not changed.is_set():
            worker = threading.Thread(target=change_it)
            worker.start()
            worker.join()
        return f"<p>{value}</p>"

    app.add_url_rule("/page-cache-probe", "page_cache_probe", probe)
    client = app.test_client()
    try:
        assert client.get("/page-cache-probe").get_data(as_text=True) == "<p>old</p>"
        again = client.get("/page-cache-probe")
        assert not _hit(again) and again.get_data(as_text=True) == "<p>new</p>"
        assert _hit(client.get("/page-cache-probe"))
    finally:
        with app.app_context():
            db.session.execute(db.delete(Setting).where(Setting.key == "page-cache-probe"))
            db.session.commit()


def test_an_unreachable_redis_renders_every_page(database_url, _schema, app, login_as, client):
    app.config.update(PAGE_CACHE_SECONDS=60, PAGE_CACHE_REDIS_URL="redis://127.0.0.1:9/0")
    install_page_cache(app)
    try:
        login_as("bpjs_officer")
        assert client.get(QUEUE).status_code == 200
        second = client.get(QUEUE)
        assert second.status_code == 200 and not _hit(second)
    finally:
        page_cache.clear()
        app.extensions.pop("page_cache", None)


def _redis_url() -> str:
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        unreachable("Redis", exc)
    return url


def test_two_processes_share_the_versions_through_redis(app, database_url, login_as, client):
    """Two apps (as two gunicorn workers: each its own page store) and one Redis: a change
    committed by one is seen by the other's next view."""
    url = _redis_url()
    prefix = f"page-cache-test-{uuid.uuid4().hex[:8]}"
    app.config.update(PAGE_CACHE_SECONDS=60, PAGE_CACHE_REDIS_URL=url, RATELIMIT_KEY_PREFIX=prefix)
    install_page_cache(app)
    other = make_app(
        database_url, PAGE_CACHE_SECONDS=60, PAGE_CACHE_REDIS_URL=url, RATELIMIT_KEY_PREFIX=prefix
    )
    try:
        login_as("bpjs_officer")
        client.get(QUEUE)
        assert _hit(client.get(QUEUE))
        with other.app_context():  # the other process enrols a new request
            newcomer = EnrolmentRequestFactory()
            db.session.commit()
            name = newcomer.worker.full_name
            db.session.remove()
        page = client.get(QUEUE)
        assert not _hit(page) and name in page.get_data(as_text=True)
    finally:
        page_cache.clear()
        app.extensions.pop("page_cache", None)
        server = redis.Redis.from_url(url)
        for key in server.scan_iter(match=f"{prefix}:*"):
            server.delete(key)
        server.close()


@pytest.mark.parametrize(
    ("sql", "written", "read"),
    [
        ("SELECT users.id FROM users JOIN login_sessions ON x", set(), {"users", "login_sessions"}),
        ('INSERT INTO "memberships" (worker_id) VALUES (1)', {"memberships"}, {"memberships"}),
        (
            "UPDATE enrolment_requests SET state='x' FROM users",
            {"enrolment_requests", "users"},
            None,
        ),
        ("  delete from complaints where id = 1", {"complaints"}, None),
        (
            "WITH moved AS (UPDATE settings SET value='1' RETURNING key) SELECT 1",
            {"settings"},
            None,
        ),
        ("SELECT settings.value FROM settings FOR UPDATE", set(), {"settings"}),
        ("SELECT users_archive.id FROM users_archive", set(), set()),
    ],
)
def test_tables_read_and_written_are_taken_from_the_sql(sql, written, read, app):
    assert (page_cache._WRITE_START.match(sql) is not None) == bool(written)
    tables = page_cache._tables_in(sql)
    if written:
        assert written <= tables
    if read is not None:
        assert tables == read


def test_the_store_drops_the_least_recently_used_pages_past_its_size():
    store = page_cache.PageStore(max_bytes=4000)
    for i in range(5):
        store.put(("k", i), ((), (), None, b"x" * 900, [], None))
    assert store.get(("k", 0)) is None and store.get(("k", 4)) is not None
    store.put(("big",), ((), (), None, b"x" * 2000, [], None))  # over a quarter: not kept
    assert store.get(("big",)) is None


def test_every_cached_page_still_declares_who_may_use_it(cached):
    from portal.web.access import policy_of

    for endpoint in (
        "bpjs.queue",
        "bpjs.memberships",
        "employer.index",
        "complaints.queue",
        "disperindagkop.directory",
        "dashboard.index",
        "dashboard.public",
    ):
        assert policy_of(cached.view_functions[endpoint]) is not None, endpoint
