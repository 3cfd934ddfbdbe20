"""Cadre training and case talks (issue 18 part 4): typical cases made anonymous by the generator
from closed cases only (names — also those only the parties list knows — phones, ID numbers,
addresses, codes), the sessions in the adviser's monthly log, the pages and the API."""

import pytest

from yimen.cases.tests.conftest import JUDICIAL, act, at, register
from yimen.cases.tests.test_api import bearer
from yimen.legal.anonymise import anonymise_texts
from yimen.legal.models import TypicalCase
from yimen.legal.tests.conftest import VILLAGE_REGION
from yimen.legal.tests.test_outreach import post


def test_the_generator_removes_people_numbers_places_and_codes():
    title, description, answer = anonymise_texts(
        [
            "蒋秀兰申请离婚诉讼法律援助（450324106-2026-000123）",
            "申请人称长期遭受丈夫唐德明殴打，邻居欧阳春花可以作证。秀兰住才湾村3组12号，"
            "电话139-0773-0021，身份证450324199001011234，娘家电话+86 13907730022。",
            "已告知蒋秀兰申请人身安全保护令，并联系唐德明所在单位，座机(0773)2812345。参见2026-000124。",
        ],
        names=["蒋秀兰", "唐德明"],
        places=["才湾村"],
        codes=["450324106-2026-000123"],
    )
    text = title + description + answer
    for secret in (
        "蒋秀兰",
        "唐德明",
        "秀兰",
        "欧阳春花",
        "才湾村",
        "3组12号",
        "139",
        "0773",
        "4503241990",
        "000123",
        "000124",
    ):
        assert secret not in text, secret
    assert title == "张某申请离婚诉讼法律援助（某案）"
    assert "丈夫李某殴打" in description and "邻居王某可以作证" in description and "张某住某村某组某号" in description
    assert "联系李某所在单位" in answer  # the same person, the same token in every text


def test_a_name_known_only_from_the_parties_list_is_removed():
    # 韦二妹 follows no relation word and is no common name pattern: only the parties list knows her.
    (text,) = anonymise_texts(["韦二妹与覃老三因鱼塘承包款发生纠纷，韦二妹要求返还押金"], names=["韦二妹", "覃老三"])
    assert text == "张某与李某因鱼塘承包款发生纠纷，张某要求返还押金"


def closed_case(seats, **fields):
    values = {  # a consultation the adviser may see (the legal matters of the villages served)
        "kind": "legal_service",
        "category": "legal_service.family",
        "title": "唐建国与唐明华宅基地边界纠纷",
        "description": "唐建国（电话13907730001）称唐明华在才湾村2组8号旁砌墙占地。",
    }
    case = register(seats["clerk"], **{**values, **fields})
    act("accept", case, seats["clerk"])
    act("dispatch", case, seats["dispatcher"], lead_unit=JUDICIAL)
    act("sign", case, seats["judicial"])
    act("reply", case, seats["judicial"], text="经调解，唐明华拆除多占部分，双方签订协议。")
    return act("review", case, seats["dispatcher"], approved=True)


def session_body(adviser, **fields):
    return {
        "kind": "case_talk",
        "topic": "宅基地纠纷典型案例",
        "held_at": at(2026, 3, 12).isoformat(),
        "place": "才湾村委会会议室",
        "speaker": adviser.pk,
        "villages": [VILLAGE_REGION],
        "attendance": 18,
        **fields,
    }


def test_a_case_talk_uses_closed_cases_as_the_generator_makes_them(client, seats, village_adviser, time_machine):
    time_machine.move_to(at(2026, 3, 10))
    closed = closed_case(seats)
    still_open = register(seats["clerk"], title="尚未办结的纠纷")
    act("accept", still_open, seats["clerk"])
    act("dispatch", still_open, seats["dispatcher"], lead_unit=JUDICIAL)
    time_machine.move_to(at(2026, 3, 20))
    body = session_body(village_adviser, cases=[closed.code], attendees=[seats["gridchief"].pk, seats["village"].pk])
    assert post(client, seats["gridchief"], "/api/v1/legal/training", body).status_code == 403
    refused = post(client, seats["judicial"], "/api/v1/legal/training", {**body, "cases": [still_open.code]})
    assert refused.status_code == 422 and "尚未办结" in refused.json()["errors"]["cases"][0]
    no_case = post(client, seats["judicial"], "/api/v1/legal/training", {**body, "cases": []})
    assert no_case.status_code == 422 and "cases" in no_case.json()["errors"]
    few = post(client, seats["judicial"], "/api/v1/legal/training", {**body, "attendance": 1})
    assert few.status_code == 422 and "不能少于" in few.json()["errors"]["attendance"][0]
    given = post(client, seats["adviser"], "/api/v1/legal/training", body)
    assert given.status_code == 201, given.json()
    (typical,) = given.json()["typical_cases"]
    assert typical == {
        "title": "张某与李某宅基地边界纠纷",
        "description": "张某（电话（电话已隐去））称李某在某村某组某号旁砌墙占地。",
        "answer": "经调解，李某拆除多占部分，双方签订协议。",
    }
    assert TypicalCase.objects.get().description == typical["description"]  # stored as generated
    assert len(given.json()["attendees"]) == 2

    training = {**session_body(village_adviser), "kind": "training", "topic": "村干部法治培训：民法典"}
    assert post(client, seats["judicial"], "/api/v1/legal/training", training).status_code == 201
    log = client.get(
        f"/api/v1/legal/advisers/{village_adviser.pk}/log", {"month": "2026-03"}, headers=bearer(seats["adviser"])
    ).json()
    assert (log["trainings"], log["case_talks"]) == (1, 1)
    april = client.get(
        f"/api/v1/legal/advisers/{village_adviser.pk}/log", {"month": "2026-04"}, headers=bearer(seats["judicial"])
    ).json()
    assert (april["trainings"], april["case_talks"]) == (0, 0)
    listed = client.get("/api/v1/legal/training", headers=bearer(seats["gridchief"])).json()
    assert {s["topic"] for s in listed} == {"宅基地纠纷典型案例", "村干部法治培训：民法典"}
    assert client.get("/api/v1/legal/training", headers=bearer(seats["gridworker2"])).status_code == 403
    assert client.get("/api/v1/legal/training/999999", headers=bearer(seats["judicial"])).status_code == 404


@pytest.mark.parametrize("n", [1, 6])
def test_the_pages_list_record_and_show_sessions(
    client, seats, village_adviser, time_machine, django_assert_max_num_queries, n
):
    time_machine.move_to(at(2026, 3, 10))
    closed = closed_case(seats)
    time_machine.move_to(at(2026, 3, 20))
    for i in range(n):
        post(
            client,
            seats["judicial"],
            "/api/v1/legal/training",
            session_body(village_adviser, cases=[closed.code], topic=f"案例{i}"),
        )
    client.force_login(seats["gridchief"].user)
    with django_assert_max_num_queries(12):
        page = client.get("/legal/training/")
    assert page.status_code == 200 and len(page.context["sessions"]) == n and "案例0" in page.content.decode()
    assert 'data-testid="training-new"' not in page.content.decode()

    client.force_login(seats["judicial"].user)
    form = client.get("/legal/training/new/")
    assert form.status_code == 200 and "韦志坚" in form.content.decode()
    fields = {
        "kind": "case_talk",
        "topic": "页面登记的宣讲",
        "held_at": "2026-03-19T15:00",
        "place": "才湾村文化室",
        "speaker": str(village_adviser.pk),
        "villages": [VILLAGE_REGION],
        "attendance": "12",
        "cases": "",
    }
    refused = client.post("/legal/training/new/", fields)
    assert refused.status_code == 422 and "典型案例宣讲请选用至少一件已办结的案件" in refused.content.decode()
    assert 'value="页面登记的宣讲"' in refused.content.decode()
    done = client.post("/legal/training/new/", {**fields, "cases": closed.code}, follow=True)
    body = done.content.decode()
    assert "已登记" in body and "张某与李某宅基地边界纠纷" in body and "唐建国" not in body
