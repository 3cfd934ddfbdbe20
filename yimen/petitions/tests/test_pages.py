"""The petition pages: the panel on the case page, the opinion form (kept as typed when refused),
信访台账 with filters, the repeat-petition rate and a flat query cost, and the menu entry."""

import pytest

from yimen.petitions.tests.conftest import PETITION, PLAN, act, answered, notice, petition


def test_panel_shows_level_chain_deadlines_and_buttons(client, seats, dated):
    dated(2026, 3, 2)
    original = answered(seats, petition(seats))
    review = act("accept", petition(seats, review_of=original.code, category=None), seats["dispatcher"])
    client.force_login(seats["petition"].user)
    page = client.get(f"/cases/{review.code}/").content.decode()
    assert 'data-testid="petition-panel"' in page and "复查" in page
    assert f'href="/cases/{original.code}/"' in page and "受理告知（15 日）" in page
    assert 'data-testid="petition-notice"' in page and 'data-testid="petition-opinion"' not in page
    answer = client.post(f"/petitions/{review.code}/notice/", {"version": review.petition.version})
    assert answer.status_code == 302
    page = client.get(f"/cases/{review.code}/").content.decode()
    assert "已出具告知书" in page and "acceptance_notice" in page


def test_opinion_form_keeps_what_was_typed_when_refused(client, seats):
    case = act("accept", petition(seats), seats["dispatcher"])
    notice(case, seats["petition"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, plan=PLAN)
    case = act("sign", case, seats["petition"])
    client.force_login(seats["petition"].user)
    url = f"/petitions/{case.code}/opinion/"
    assert client.get(url).status_code == 200
    version = case.petition.version
    answer = client.post(url, {"version": version, "facts": "村民反映属实", "basis": "", "opinion": "补足"})
    assert answer.status_code == 422 and "请填写处理依据" in answer.content.decode()
    assert "村民反映属实" in answer.content.decode()
    stale = client.post(
        url, {"version": version + 7, "facts": "村民反映属实", "basis": "土地管理法", "opinion": "补足"}
    )
    assert (
        stale.status_code == 409 and "当前版本" in stale.content.decode() and "村民反映属实" in stale.content.decode()
    )
    done = client.post(url, {"version": version, "facts": "村民反映属实", "basis": "土地管理法", "opinion": "补足"})
    assert done.status_code == 302
    assert client.get(url).status_code == 403  # issued: nothing left to issue


def test_opinion_form_is_refused_to_others(client, seats):
    case = act("accept", petition(seats), seats["dispatcher"])
    client.force_login(seats["clerk"].user)
    assert client.get(f"/petitions/{case.code}/opinion/").status_code == 404  # not visible to the clerk
    client.force_login(seats["supervisor"].user)
    assert client.get(f"/petitions/{case.code}/opinion/").status_code == 403


@pytest.mark.parametrize("n", [1, 12])
def test_register_cost_is_flat_and_it_filters(client, seats, django_assert_max_num_queries, dated, n):
    dated(2026, 3, 2)
    first = petition(seats)
    for i in range(n):
        petition(seats, title=f"再次反映征地补偿款第{i}次")
    client.force_login(seats["dispatcher"].user)
    with django_assert_max_num_queries(12):
        page = client.get("/petitions/")
    body = page.content.decode()
    assert page.status_code == 200 and "重复信访率" in body and f"{n} / {n + 1} 件" in body
    only = client.get("/petitions/?repeat=false").content.decode()
    assert f'data-code="{first.code}"' in only and "再次反映" not in only
    assert "再次反映" in client.get("/petitions/?level=original&petition_type=claim&overdue=false").content.decode()
    assert "没有符合条件" in client.get("/petitions/?level=review").content.decode()


def test_register_is_for_the_petition_office_and_the_centre(client, seats):
    for role, status in (("petition", 200), ("dispatcher", 200), ("leader", 200), ("police", 403), ("clerk", 403)):
        client.force_login(seats[role].user)
        assert client.get("/petitions/").status_code == status, role
        menu = client.get("/").content.decode()
        assert ("信访台账" in menu) == (status == 200), role
