"""Requests that overlap, as the phone app's service worker and htmx send them, are each answered
in full: every page view also saves the session, so forty at once queue for SQLite's one writer
instead of failing (on the in-memory test database they shared one connection: 400s and 500s)."""

import pytest

from conftest import PASSWORD
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AT_ONCE = """async (paths) => Promise.all(paths.map(async (path) => {
  const r = await fetch(path, {credentials: 'same-origin'});
  await r.text();
  return [path, r.status];
}))"""


def test_forty_overlapping_page_views_all_answer(page, persona):
    persona("clerk")
    sign_in(page, "clerk", PASSWORD)
    paths = ["/", "/cases/", "/cases/new/", "/map/", "/units/"] * 8
    answers = page.evaluate(AT_ONCE, paths)
    assert answers == [[path, 200] for path in paths]
    page.goto(f"{page.base}/cases/")  # still signed in: no overlapping save lost the session
    assert page.url == f"{page.base}/cases/"
    assert page.errors == []
