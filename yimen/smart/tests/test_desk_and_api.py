"""The intake desk's hints box and POST /intake/suggest, as the clerk and an API client see them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases.tests.test_api import bearer
from yimen.smart.services_warnings import warnings_refresh
from yimen.smart.tests.conftest import GRID, closed, register

pytestmark = pytest.mark.django_db


def ago(days: int):
    return timezone.now() - timedelta(days=days)


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
    # The same phone, the same grid and the same words: every reason is named.
    assert dup["reason"] == "同一当事人；同一地点；同一事项（用词相同 80%）"  # 4 of 5 words


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


def test_link_api_links_both_ways_and_hides_what_one_may_not_see(client, seats):
    clerk = seats["clerk"]
    a = register(clerk, title="养猪场臭味", region=GRID)
    b = register(clerk, title="养猪场臭味熏人", region=GRID)
    hidden = register(seats["police"], title="养猪场臭味", region=GRID)
    url = f"/api/v1/cases/{b.code}/links"

    made = client.post(url, {"other": a.code, "reason": "同一养猪场"}, "application/json", headers=bearer(clerk))
    assert made.status_code == 201 and made.json() == {"case": b.code, "other": a.code, "reason": "同一养猪场"}
    again = client.post(url, {"other": a.code, "reason": "再来"}, "application/json", headers=bearer(clerk))
    assert again.status_code == 409
    unseen = client.post(url, {"other": hidden.code, "reason": "同一"}, "application/json", headers=bearer(clerk))
    assert unseen.status_code == 404
    blank = client.post(url, {"other": a.code, "reason": ""}, "application/json", headers=bearer(clerk))
    assert blank.status_code == 422 and "reason" in blank.json()["errors"]


def test_warning_api_lists_and_dismisses_with_a_reason(client, seats):
    for days in (25, 10, 1):
        register(seats["clerk"], kind="hazard", title="电线杆倾斜", received_at=ago(days), region=GRID)
    warnings_refresh()
    supervisor = bearer(seats["supervisor"])
    listed = client.get("/api/v1/warnings", headers=supervisor).json()
    hazard = next(w for w in listed if w["rule"] == "hazard_cluster")
    assert hazard["evidence"] == "近 30 日同一地点隐患 3 件" and len(hazard["cases"]) == 3
    url = f"/api/v1/warnings/{hazard['id']}/dismiss"
    assert client.post(url, {"reason": ""}, "application/json", headers=supervisor).status_code == 422
    done = client.post(url, {"reason": "已报供电所"}, "application/json", headers=supervisor)
    assert done.status_code == 200 and done.json()["state"] == "dismissed"
    assert client.get("/api/v1/warnings", headers=bearer(seats["clerk"])).status_code == 403
