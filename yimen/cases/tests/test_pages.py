"""The case pages: who may open them, the intake desk (bad input, idempotency, fragments), the
inbox's flat query cost, the receipt and the citizen's progress page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yimen.cases import extensions
from yimen.cases.models import Case, Notification
from yimen.cases.tests.conftest import GRID, act, case_in, register
from yimen.cases.tests.test_api import citizen_code_check
from yimen.people.tests.samples import make_id_number, make_resident

PAGES = ("/cases/", "/cases/new/", "/cases/supervision/", "/cases/{code}/", "/cases/{code}/receipt/")
EXPECTED = {  # role -> statuses of PAGES; the receipt (it carries the public token) is the centre's
    "clerk": (200, 200, 200, 200, 200),
    "dispatcher": (200, 200, 200, 200, 200),
    "police": (200, 200, 200, 200, 404),  # every unit's door registers (issue 14, 首接负责)
    "supervisor": (200, 403, 200, 200, 404),
    "auditor": (403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_pages_open_for_the_roles_that_may_see_them(client, seats, role):
    case = case_in("dispatched", seats)  # lead: the police station
    client.force_login(seats[role].user)
    statuses = tuple(client.get(page.format(code=case.code)).status_code for page in PAGES)
    assert statuses == EXPECTED[role]


def test_a_case_out_of_sight_is_404(client, seats):
    case = case_in("registered", seats)  # in 才湾村; gridworker2 works in 小塘村
    client.force_login(seats["gridworker2"].user)
    assert client.get(f"/cases/{case.code}/").status_code == 404
    assert client.get(f"/cases/{case.code}/receipt/").status_code == 404


def test_menu_lists_the_case_pages(client, seats):
    client.force_login(seats["clerk"].user)
    menu = client.get("/").content.decode()
    assert "受理登记" in menu and "督办" in menu and 'href="/cases/"' in menu


# ---------------------------------------------------------------------------------------------
# Intake desk


def intake_data(key: str, **fields) -> dict:
    data = {
        "idempotency_key": key,
        "kind": "dispute",
        "channel": "visit",
        "title": "唐家叔侄宅基地边界纠纷",
        "description": "叔侄两家因宅基地边界发生争执。",
        "received_at": "",
        "category": "dispute.land.homestead",
        "region": GRID,
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "2",
        "parties-0-name": "唐建国",
        "parties-0-role": "applicant",
        "parties-0-phone": "139 0773 0001",
        "parties-1-name": "唐明华",
        "parties-1-role": "respondent",
    }
    data.update(fields)
    return data


def test_the_desk_is_drawn_with_a_key_and_sensible_defaults(client, seats):
    client.force_login(seats["clerk"].user)
    page = client.get("/cases/new/")
    form = page.context["form"]
    assert len(form["idempotency_key"].value()) == 32
    assert form["channel"].value() == "visit" and form["received_at"].value()
    assert page.context["picker"].chosen.code == "450324106"  # the clerk's jurisdiction
    assert [f["role"].value() for f in page.context["parties"]] == ["applicant", "respondent"]
    html = page.content.decode()
    assert "宅基地纠纷" in html and 'data-risk="yellow"' in html  # the catalogue, with its risks
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong_in_chinese(client, seats):
    client.force_login(seats["clerk"].user)
    data = intake_data("k-bad", title="", **{"parties-0-phone": "12ab", "parties-1-id_number": "450324198001011234"})
    response = client.post("/cases/new/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "请填写标题。" in html
    assert "电话号码格式不正确。" in html
    assert "身份证号码校验位不正确，请逐位核对。" in html
    assert "叔侄两家因宅基地边界发生争执。" in html and 'value="唐明华"' in html and 'value="12ab"' in html
    assert response.context["form"]["idempotency_key"].value() == "k-bad"  # the same key: still one case
    assert not Case.objects.exists()


def test_a_date_that_is_not_a_date_is_refused_on_its_field(client, seats):
    client.force_login(seats["clerk"].user)
    response = client.post("/cases/new/", intake_data("k-date", received_at="昨天"))
    assert response.status_code == 422
    assert "请输入有效时间" in response.content.decode()


def test_registering_redirects_to_the_case_with_its_code(client, seats):
    client.force_login(seats["clerk"].user)
    response = client.post("/cases/new/", intake_data("k-1"), follow=True)
    case = Case.objects.get()
    assert response.redirect_chain == [(f"/cases/{case.code}/", 302)]
    assert f"案件编码 {case.code}" in response.content.decode()
    assert case.first_unit == seats["clerk"].unit and case.category.code == "dispute.land.homestead"
    applicant = case.parties.get(role="applicant")
    assert applicant.phone_masked.startswith("139") and "13907730001" not in response.content.decode()


def test_a_double_submit_registers_once(client, seats):
    client.force_login(seats["clerk"].user)
    first = client.post("/cases/new/", intake_data("k-twice"))
    second = client.post("/cases/new/", intake_data("k-twice"), follow=True)
    assert Case.objects.count() == 1
    assert first.url == second.redirect_chain[0][0]
    assert "未重复登记" in second.content.decode()


def test_the_same_key_with_other_content_is_refused_and_the_text_kept(client, seats):
    client.force_login(seats["clerk"].user)
    client.post("/cases/new/", intake_data("k-reuse"))
    response = client.post("/cases/new/", intake_data("k-reuse", title="另一件事"))
    assert response.status_code == 409
    assert "另一件事" in response.content.decode()
    assert response.context["form"]["idempotency_key"].value() != "k-reuse"  # a fresh key to send it anew
    assert Case.objects.count() == 1


def test_a_petition_of_accusation_takes_accused_units(client, seats):
    client.force_login(seats["petition"].user)
    data = intake_data(
        "k-acc",
        kind="petition",
        category="petition.accusation",
        petition_type="accusation",
        accused_units=["450324106-police"],
        title="举报某单位工作人员吃拿卡要",
    )
    assert client.post("/cases/new/", data).status_code == 302
    case = Case.objects.get()
    assert list(case.accused_units.values_list("code", flat=True)) == ["450324106-police"]


def test_the_region_picker_walks_down_and_locates_a_map_click(client, seats):
    client.force_login(seats["clerk"].user)
    village = client.get("/cases/new/regions/", {"pick": "450324106200"})
    assert village.context["picker"].chosen.code == "450324106200"
    assert [level.label for level in village.context["picker"].levels] == ["村/社区", "网格"]
    located = client.get("/cases/new/regions/", {"lat": "25.855", "lng": "110.985", "region": "450324106"})
    assert located.context["picker"].chosen.code == "4503241062000101"  # 才湾村第一微网格
    assert "地图定位" in located.content.decode() and 'value="25.855"' in located.content.decode()
    outside = client.get("/cases/new/regions/", {"lat": "30.0", "lng": "120.0", "region": GRID})
    assert outside.context["picker"].chosen.code == GRID and "不在您的管辖范围内" in outside.content.decode()


def test_person_autocomplete_is_scoped_and_masked(client, seats):
    make_resident(seats["clerk"], "唐建国", seq=7)
    make_resident(seats["clerk"], "唐建军", micro="4503241062010101", seq=8)  # 小塘村
    client.force_login(seats["gridworker"].user)  # sees only 才湾村第一网格
    html = client.get("/cases/new/persons/", {"parties-3-name": "唐建"}).content.decode()
    assert "唐建国" in html and "唐建军" not in html
    assert make_id_number(seq=7) not in html and "450324********" in html


def test_hints_show_recent_cases_of_the_same_phone_or_grid(client, seats):
    earlier = register(seats["clerk"], title="唐建国反映宅基地被占")
    client.force_login(seats["clerk"].user)
    by_phone = client.post("/cases/new/hints/", {"region": "450324106", "parties-0-phone": "13907730001"})
    assert earlier.code in by_phone.content.decode() and "同一当事人" in by_phone.content.decode()
    by_place = client.post("/cases/new/hints/", {"region": GRID})
    assert earlier.code in by_place.content.decode() and "同一地点" in by_place.content.decode()
    nothing = client.post("/cases/new/hints/", {"region": "450324106"})  # a whole town is no hint
    assert earlier.code not in nothing.content.decode()


# ---------------------------------------------------------------------------------------------
# Inbox


def count_queries(client, url: str, **headers) -> tuple[int, object]:
    client.get(url, **headers)  # warm the per-process caches (calendar, security policy)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(("role", "url"), [("clerk", "/cases/?tab=all"), ("police", "/cases/?tab=pending")])
def test_the_inbox_costs_the_same_for_1_and_15_cases(client, seats, role, url):
    costs = []
    for n in (1, 15):
        Case.objects.all().delete()
        for i in range(n):
            case_in("dispatched", seats, title=f"第{i}件")
        client.force_login(seats[role].user)
        cost, response = count_queries(client, url)
        assert len(response.context["items"]) == n
        costs.append(cost)
    assert costs[0] == costs[1]


def test_the_inbox_tabs_and_overdue_marks(client, seats):
    late = case_in("dispatched", seats, received_at=act_time(days=-40), category="dispute.neighbour.noise")
    client.force_login(seats["police"].user)
    page = client.get("/cases/")
    assert page.context["tab"] == "pending"  # a handling unit starts with what waits for it
    assert late.code in page.content.decode()
    client.force_login(seats["dispatcher"].user)
    overdue = client.get("/cases/", {"tab": "all", "overdue": "true"})
    assert [row.case.code for row in overdue.context["items"]] == [late.code]
    assert "is-overdue" in overdue.content.decode() and "已超期" in overdue.content.decode()


def act_time(*, days: int):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(days=days)


def test_filters_answer_htmx_with_the_rows_alone(client, seats):
    case = case_in("accepted", seats, title="村道塌方")
    case_in("registered", seats, title="邻居噪音")
    client.force_login(seats["dispatcher"].user)
    response = client.get("/cases/", {"tab": "all", "q": "塌方"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and case.code in html and "邻居噪音" not in html
    assert "HX-Request" in response["Vary"]
    bad = client.get("/cases/", {"tab": "all", "received_since": "去年"}, HTTP_HX_REQUEST="true")
    assert "请输入有效时间" in bad.content.decode()


def test_unread_notices_show_on_the_inbox_and_can_be_marked_read(client, seats):
    case = case_in("dispatched", seats)
    act("urge", case, seats["supervisor"], note="请尽快签收")
    client.force_login(seats["police"].user)
    page = client.get("/cases/")
    notices = list(page.context["notices"])
    assert len(notices) == 1 and "催办" in page.content.decode()
    response = client.post("/cases/notifications/read/", {"notification": notices[0].pk, "tab": "pending"})
    assert response.status_code == 302
    assert Notification.objects.get(pk=notices[0].pk).read_at is not None
    assert not client.get("/cases/").context["notices"]


def test_notices_collapse_to_one_line_per_case_above_the_queue(client, seats):
    """Six 催办 on one case pushed the work below the fold (issue 21 item 5): one line per case,
    the newest notice with how many more it stands for, read together."""
    busy, other = case_in("dispatched", seats), case_in("dispatched", seats, title="另一件")
    for note in ("请尽快签收", "再次催办", "第三次催办"):
        act("urge", busy, seats["supervisor"], note=note)
    act("urge", other, seats["supervisor"], note="请尽快签收")
    client.force_login(seats["police"].user)
    page = client.get("/cases/")
    lines = {n.case.code: n.also for n in page.context["notices"]}
    assert lines == {busy.code: 2, other.code: 0} and page.context["notice_count"] == 4
    html = page.content.decode()
    assert "另有 2 条" in html and html.index('data-testid="notices"') < html.index('data-testid="tabs"')
    newest = next(n for n in page.context["notices"] if n.case_id == busy.pk)
    client.post("/cases/notifications/read/", {"notification": newest.pk, "tab": "pending"})
    assert Notification.objects.filter(case=busy, read_at=None, unit=seats["police"].unit).count() == 0
    assert [n.case.code for n in client.get("/cases/").context["notices"]] == [other.code]


# ---------------------------------------------------------------------------------------------
# Receipt and the public page


def test_the_receipt_is_a_pdf(client, seats):
    case = case_in("registered", seats)
    client.force_login(seats["clerk"].user)
    response = client.get(f"/cases/{case.code}/receipt/")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_the_public_page_shows_progress_and_nothing_personal(client, seats):
    case = case_in("in_progress", seats)
    response = client.get(f"/public/cases/{case.public_token}/")
    html = response.content.decode()
    assert response.status_code == 200 and case.code in html and "办理中" in html
    # Steps in the citizen's words, with the units (issue 21 item 12): no 审核, no 签收.
    assert "已交承办单位办理" in html and "承办单位已受理，正在办理" in html and "才湾镇police" in html
    assert "审核" not in html and "签收" not in html
    assert "前办结" in html  # the legal clock in plain words
    assert 'data-testid="public-lookup"' in html  # look up another case by its code
    for personal in ("唐建国", "唐明华", "139", "叔侄两家", case.title):
        assert personal not in html
    assert "rating-form" not in html  # not closed yet
    # The citizen's page has no staff menu, so no menu button whose click would throw
    # "Cannot read properties of undefined (reading 'backdrop')" (issue 21 item 11).
    assert "#sidemenu" not in html


def test_the_citizen_rates_once_after_close(client, seats, monkeypatch):
    monkeypatch.setattr(extensions, "PUBLIC_RATING_CHECKS", [citizen_code_check])
    case = case_in("closed", seats)
    url = f"/public/cases/{case.public_token}/"
    assert 'data-testid="rating-form"' in client.get(url).content.decode()
    assert client.post(url, {"rating": "9", "code": "246810"}).status_code == 422
    assert client.post(url, {"rating": "5", "code": "135790"}).status_code == 422  # the citizen's proof fails
    assert client.post(url, {"rating": "5", "note": "处理及时", "code": "246810"}).status_code == 302
    case.refresh_from_db()
    assert case.public_rating == 5
    again = client.post(url, {"rating": "1", "code": "246810"})
    assert again.status_code == 409 and "您已评价" in again.content.decode()


def test_an_unknown_token_is_a_404_page(client, db):
    response = client.get("/public/cases/no-such-token/")
    assert response.status_code == 404 and "未找到该案件" in response.content.decode()
