"""Pages: the legal-aid panel and its forms on the case page, a refused decision shown on the
form with its reason, the protection-order route on a domestic-violence matter, the advisers'
roster at a flat query cost."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from yimen.geo.models import Region
from yimen.legal.models import Adviser, LegalAidFile
from yimen.legal.tests.conftest import VILLAGE_REGION, application


def test_the_judicial_office_sees_the_forms_and_the_centre_only_the_file(client, seats, aid_case):
    client.force_login(seats["judicial"].user)
    page = client.get(f"/cases/{aid_case.code}/").content.decode()
    assert 'data-testid="aid-step-means"' in page and 'data-testid="aid-step-decision"' in page
    assert "审查决定（收到申请之日起 7 日，第四十三条）" in page
    client.force_login(seats["dispatcher"].user)
    page = client.get(f"/cases/{aid_case.code}/").content.decode()
    assert 'data-testid="legal-aid-panel"' in page and 'data-testid="aid-step-means"' not in page


def test_a_decision_without_a_basis_comes_back_on_the_form(client, seats, aid_case):
    client.force_login(seats["judicial"].user)
    aid = LegalAidFile.objects.get(case=aid_case)
    answer = client.post(
        f"/cases/{aid_case.code}/legal-aid/decision/",
        {"decision-version": aid.version, "decision-granted": "yes", "decision-reason": "符合条件"},
    )
    assert answer.status_code == 422
    assert "未做经济困难状况核查，也未选择免予核查的情形" in answer.content.decode()
    blank = client.post(f"/cases/{aid_case.code}/legal-aid/decision/", {"decision-version": aid.version})
    assert blank.status_code == 422 and "这个字段是必填项" in blank.content.decode()


def test_means_check_then_decision_from_the_page(client, seats, aid_case):
    client.force_login(seats["judicial"].user)
    aid = LegalAidFile.objects.get(case=aid_case)
    checked = client.post(
        f"/cases/{aid_case.code}/legal-aid/means/",
        {
            "means-version": aid.version,
            "means-monthly_income": "380",
            "means-assets": "1000",
            "means-income_standard": "450",
            "means-key_groups": ["woman", "dv_victim"],
        },
    )
    assert checked.status_code == 302
    aid.refresh_from_db()
    decided = client.post(
        f"/cases/{aid_case.code}/legal-aid/decision/",
        {"decision-version": aid.version, "decision-granted": "yes", "decision-reason": "经济困难"},
        follow=True,
    )
    page = decided.content.decode()
    assert "已完成：作出决定" in page and 'data-testid="aid-decision-pdf"' in page
    assert 'data-testid="aid-step-assign"' in page


def test_a_domestic_violence_matter_shows_the_protection_order_route(client, seats, aid_case):
    client.force_login(seats["judicial"].user)
    page = client.get(f"/cases/{aid_case.code}/").content.decode()
    assert 'data-testid="protection-order-panel"' in page
    assert "72 小时" in page and "24 小时" in page and "第二十八条" in page
    wages = application(seats, category="legal_aid.wages", title="农民工讨薪法律援助")
    assert 'data-testid="protection-order-panel"' not in client.get(f"/cases/{wages.code}/").content.decode()


def test_the_roster_lists_advisers_at_a_flat_cost(client, seats):
    village = Region.objects.get(code=VILLAGE_REGION)
    client.force_login(seats["dispatcher"].user)

    def cost(n: int) -> int:
        for i in range(n):
            Adviser.objects.create(name=f"顾问{n}-{i}", firm="桂全律所", duty="每周二").villages.add(village)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/legal/advisers/")
        assert page.status_code == 200 and f"顾问{n}-0" in page.content.decode()
        return len(queries)

    assert cost(1) == cost(8)
    assert client.get("/legal/advisers/", {"region": "450324106201"}).context["advisers"].count() == 0


def test_the_villages_adviser_is_on_the_home_page_of_those_working_there(client, seats, village_adviser):
    for who in ("gridworker", "gridchief", "village"):
        client.force_login(seats[who].user)
        assert "韦志坚" in client.get("/").content.decode(), who
    for who in ("gridworker2", "dispatcher"):  # another village; the whole town
        client.force_login(seats[who].user)
        assert 'data-testid="village-adviser"' not in client.get("/").content.decode(), who


def test_the_grid_workers_phone_names_the_villages_adviser(client, seats, village_adviser):
    client.force_login(seats["gridworker"].user)
    assert "韦志坚" in client.get("/m/").content.decode()
    client.force_login(seats["gridworker2"].user)  # 小塘村 has no adviser on the roster
    assert 'data-testid="village-adviser"' not in client.get("/m/").content.decode()
