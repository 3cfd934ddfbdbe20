"""The intake desk's hints box and POST /intake/suggest, as the clerk and an API client see them."""

import pytest

from yimen.cases.tests.test_api import bearer
from yimen.smart.tests.conftest import GRID, closed

pytestmark = pytest.mark.django_db


def test_typing_jiabao_at_the_desk_shows_domestic_violence_with_its_reason(client, seats):
    client.force_login(seats["clerk"].user)
    page = client.post("/cases/new/hints/", {"title": "老公家暴", "kind": "dispute", "region": GRID}).content.decode()
    assert "家庭暴力" in page and 'data-row="dispute.family.violence"' in page
    assert "文中“家暴" in page and "对应派单目录“婚姻家庭 · 家庭暴力”" in page
    assert "建议承办" in page  # the catalogue's units for the region


def test_the_desk_shows_no_suggestion_for_an_empty_title(client, seats):
    client.force_login(seats["clerk"].user)
    page = client.post("/cases/new/hints/", {"title": "", "kind": "dispute", "region": GRID})
    assert page.status_code == 200 and "建议类别" not in page.content.decode()


def test_suggest_api_answers_categories_units_and_duplicates(client, seats):
    earlier = closed(seats["clerk"], category="dispute.family.violence", title="丈夫酒后家暴妻子", days_ago=10)
    body = {
        "title": "丈夫酒后家暴",
        "description": "",
        "kind": "dispute",
        "region": GRID,
        "parties": [{"phone": "13907730001"}],
    }
    answer = client.post("/api/v1/intake/suggest", body, "application/json", headers=bearer(seats["clerk"]))
    assert answer.status_code == 200, answer.content
    data = answer.json()
    top = data["categories"][0]
    assert top["row"] == "dispute.family.violence" and top["name"] == "家庭暴力"
    assert "家暴" in top["reason"]["words"] and top["reason"]["catalogue_row"] == "婚姻家庭 · 家庭暴力"
    assert data["units"][0]["role"] == "lead"
    dup = next(d for d in data["duplicates"] if d["code"] == earlier.code)
    # The desk's rule names the place first (same grid); the text adds the same issue.
    assert dup["reason"].startswith("同一地点") and "同一事项" in dup["reason"]


def test_suggest_api_with_empty_text_is_empty_not_an_error(client, seats):
    answer = client.post("/api/v1/intake/suggest", {"title": ""}, "application/json", headers=bearer(seats["clerk"]))
    assert answer.status_code == 200
    assert answer.json() == {"categories": [], "units": [], "units_note": "", "duplicates": []}


def test_suggest_api_refuses_a_bad_kind_with_the_error_shape(client, seats):
    answer = client.post(
        "/api/v1/intake/suggest", {"title": "家暴", "kind": "nope"}, "application/json", headers=bearer(seats["clerk"])
    )
    assert answer.status_code == 422 and "kind" in str(answer.json()["errors"])


def test_suggest_api_is_for_those_who_register(client, seats):
    answer = client.post(
        "/api/v1/intake/suggest", {"title": "家暴"}, "application/json", headers=bearer(seats["supervisor"])
    )
    assert answer.status_code == 403
