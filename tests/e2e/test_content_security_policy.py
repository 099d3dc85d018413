"""Pages work under the Content-Security-Policy (issue 15, finding 9): Chromium reports no
refused script, style or event handler, and what used to run inline still runs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from portal.extensions import db
from portal.models import User

LOGINS = {role.value: email for email, _, role in DEMO_USERS}
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


@pytest.fixture
def demo_data(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp")


def _visit(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    return [f"{url}: {v}" for v in _violations(page)]


@pytest.mark.parametrize(
    ("role", "paths"),
    [
        (None, ["/", "/auth/login", "/complaints/new", "/complaints/track", "/dashboard/public"]),
        ("business_owner", ["/employer/", "/employer/memberships"]),
        ("bpjs_head", ["/bpjs/", "/dashboard/", "/dashboard/service", "/dashboard/pipeline"]),
        ("labour_head", ["/disnaker/", "/disnaker/reprimands", "/disnaker/oversight"]),
        ("trade_officer", ["/disperindagkop/", "/disperindagkop/directory"]),
        (
            "admin",
            [
                "/admin/",
                "/admin/users/",
                "/admin/users/new/",
                "/admin/rates/",
                "/admin/audit/",
                "/admin/audit-chain/",
            ],
        ),
    ],
)
def test_pages_raise_no_content_security_policy_violation(
    live_server, page, browser_login, demo_data, role, paths
):
    page.add_init_script(RECORD_VIOLATIONS)
    if role:
        browser_login(page, live_server, LOGINS[role], DEMO_PASSWORD)
    found = [v for path in paths for v in _visit(page, live_server.url + path)]
    assert not found


def test_admin_bulk_actions_and_delete_confirmation_still_work(
    live_server, page, browser_login, demo_data
):
    """Flask-Admin ran these from onclick attributes, which the policy now refuses."""
    page.add_init_script(RECORD_VIOLATIONS)
    browser_login(page, live_server, LOGINS["admin"], DEMO_PASSWORD)
    owner = db.session.scalar(select(User).where(User.email == LOGINS["business_owner"]))
    page.goto(f"{live_server.url}/admin/users/")
    page.check(f"input.action-checkbox[value='{owner.id}']")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".dropdown-toggle:has-text('With selected'), .dropdown-toggle:has-text('Dengan')")
    with page.expect_navigation():
        page.click("[data-admin-action=deactivate]")
    db.session.expire_all()
    assert db.session.get(User, owner.id).active is False

    # Deleting a rate asks first; dismissing the question deletes nothing.
    page.goto(f"{live_server.url}/admin/rates/")
    rows = page.locator("button[data-confirm]").count()
    assert rows > 0
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("button[data-confirm]").first.click()
    page.wait_for_timeout(300)
    assert page.locator("button[data-confirm]").count() == rows
    assert not _violations(page)
