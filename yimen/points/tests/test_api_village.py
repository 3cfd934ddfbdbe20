"""API for what the village does beyond awards (docs/points.md "API"): appeals, 微心愿, 村民议事,
最美农家, the village report and the 红榜 consent; another village's records are absent (404)."""

from datetime import timedelta

from django.utils import timezone

from yimen.points import selectors, services
from yimen.points.models import Entry

from .conftest import CAIWAN, award
from .test_api import get, post

NOW = timezone.localtime()


def test_an_appeal_is_filed_in_its_period_and_decided_by_someone_else(client, seats, homes):
    entry = award(seats, homes["wang"], rule="fam-filial").entry  # +5, approved by the village seat
    url = f"/api/v1/points/entries/{entry.pk}/appeal"
    assert post(client, seats["gridworker"], url, {"grounds": "评定有误"}).status_code == 403
    assert post(client, seats["village"], url, {"grounds": ""}).json()["errors"]["grounds"]
    filed = post(client, seats["village"], url, {"grounds": "该户认为评定依据不足"})
    assert filed.status_code == 201 and filed.json()["state"] == "open"
    assert post(client, seats["village"], url, {"grounds": "再次申诉"}).json()["code"] == "already_appealed"
    listed = get(client, seats["gridchief"], f"/api/v1/points/appeals?village={CAIWAN}").json()
    assert [a["grounds"] for a in listed] == ["该户认为评定依据不足"]
    assert get(client, seats["gridworker2"], f"/api/v1/points/appeals?village={CAIWAN}").status_code == 404

    decide = f"/api/v1/points/appeals/{filed.json()['id']}/decide"
    own = post(client, seats["village"], decide, {"upheld": True, "decision": "成立"})
    assert own.status_code == 403 and "审核该积分的人" in own.json()["detail"]
    upheld = post(client, seats["gridchief"], decide, {"upheld": True, "decision": "孝老爱亲评定未经村民代表会议"})
    assert upheld.status_code == 200 and upheld.json()["state"] == "upheld"
    assert selectors.balance_of(homes["wang"]) == selectors.ledger_sum(homes["wang"]) == 0
    assert post(client, seats["gridchief"], decide, {"upheld": False, "decision": "x"}).status_code == 409


def test_an_appeal_after_the_period_is_refused_and_another_villages_entry_is_absent(client, seats, homes):
    entry = award(seats, homes["wang"], rule="fam-filial").entry
    Entry.objects.filter(pk=entry.pk).update(at=timezone.now() - timedelta(days=8))  # 申诉期 7 天
    late = post(client, seats["village"], f"/api/v1/points/entries/{entry.pk}/appeal", {"grounds": "评定有误"})
    assert late.status_code == 409 and "7 天" in late.json()["detail"]
    assert post(client, seats["gridworker2"], "/api/v1/points/entries/1/appeal", {"grounds": "x"}).status_code == 403
    other = post(client, seats["village"], "/api/v1/points/entries/999999/appeal", {"grounds": "评定有误"})
    assert other.status_code == 404


def test_a_wish_is_recorded_fulfilled_declined_with_a_reason_or_turned_into_a_case(client, seats, homes):
    made = post(client, seats["gridworker"], "/api/v1/points/wishes", {"household": homes["wang"].pk, "text": "装路灯"})
    assert made.status_code == 201 and made.json()["state"] == "open"
    outside = post(client, seats["gridworker2"], "/api/v1/points/wishes", {"household": homes["wang"].pk, "text": "x"})
    assert outside.status_code == 404
    wish = made.json()["id"]
    assert (
        post(client, seats["gridworker"], f"/api/v1/points/wishes/{wish}/fulfil", {"outcome": "装了"}).status_code
        == 403
    )
    blank = post(client, seats["village"], f"/api/v1/points/wishes/{wish}/decline", {"reason": " "})
    assert blank.status_code == 422 and blank.json()["errors"]["reason"]
    declined = post(client, seats["village"], f"/api/v1/points/wishes/{wish}/decline", {"reason": "已列入明年村道规划"})
    assert declined.json()["state"] == "declined" and declined.json()["outcome"] == "已列入明年村道规划"
    again = post(client, seats["village"], f"/api/v1/points/wishes/{wish}/fulfil", {"outcome": "装了"})
    assert again.status_code == 409 and "已办结" in again.json()["detail"]

    water = post(
        client, seats["gridworker"], "/api/v1/points/wishes", {"household": homes["li"].pk, "text": "水渠垮了"}
    )
    to_case = post(client, seats["village"], f"/api/v1/points/wishes/{water.json()['id']}/case")
    assert to_case.status_code == 200 and to_case.json()["state"] == "case" and to_case.json()["case_code"]
    listed = get(client, seats["village"], f"/api/v1/points/wishes?village={CAIWAN}").json()
    assert {w["text"]: w["state"] for w in listed} == {"装路灯": "declined", "水渠垮了": "case"}
    assert post(client, seats["gridchief"], "/api/v1/points/wishes/999999/fulfil", {"outcome": "x"}).status_code == 404


def meeting(**changes) -> dict:
    body = {
        "village": CAIWAN,
        "kind": "fireside",
        "held_at": NOW.isoformat(),
        "place": "才湾村2组火坑屋",
        "attendance": 15,
        "wishes": [],
        "decisions": [{"text": "路灯由村集体出资安装", "owner": "村主任"}],
    }
    return {**body, **changes}


def test_a_meeting_takes_open_wishes_as_its_agenda_and_every_decision_has_an_owner(client, seats, homes):
    light = services.wish_record(actor=seats["gridworker"], household=homes["wang"], text="村口装一盏路灯")
    bridge = services.wish_record(actor=seats["clerk"], household=homes["xiaotang"], text="修小塘村的桥")
    url = "/api/v1/points/meetings"
    assert post(client, seats["gridworker"], url, meeting()).status_code == 403
    ownerless = post(client, seats["village"], url, meeting(decisions=[{"text": "修路", "owner": ""}]))
    assert ownerless.status_code == 422 and "decisions.0.owner" in ownerless.json()["errors"]
    foreign = post(client, seats["village"], url, meeting(wishes=[bridge.pk]))
    assert foreign.status_code == 422 and foreign.json()["errors"]["wishes"] == ["议题只能选本村待认领的微心愿。"]
    planned = post(client, seats["village"], url, meeting(held_at=(NOW + timedelta(days=3)).isoformat()))
    assert planned.status_code == 422 and planned.json()["errors"]["held_at"]
    made = post(client, seats["village"], url, meeting(wishes=[light.pk]))
    assert made.status_code == 201 and made.json()["wishes"] == [light.pk]
    listed = get(client, seats["gridworker"], f"{url}?village={CAIWAN}").json()
    assert [(m["place"], m["decisions"]) for m in listed] == [
        ("才湾村2组火坑屋", [{"text": "路灯由村集体出资安装", "owner": "村主任"}])
    ]
    assert get(client, seats["gridworker2"], f"{url}?village={CAIWAN}").status_code == 404
    assert post(client, seats["village"], url, meeting(village="450324106201")).status_code == 404


def test_best_family_candidates_come_from_the_ledger_and_the_vote_is_recorded_once(client, seats, homes):
    award(seats, homes["wang"], rule="ind-cooperative")
    award(seats, homes["li"], rule="fam-filial")
    post(client, seats["village"], f"/api/v1/households/{homes['wang'].pk}/points/consent", {"given": True})
    year = NOW.year
    board = get(client, seats["village"], f"/api/v1/points/best?village={CAIWAN}&year={year}").json()
    assert board["candidates"] == [
        {"household": homes["wang"].pk, "name": "王德明", "points": 10}
    ]  # 李 did not consent
    body = {"village": CAIWAN, "year": year, "household": homes["wang"].pk, "votes_for": 20, "voters": 31}
    assert post(client, seats["gridworker"], "/api/v1/points/best", body).status_code == 403
    too_many = post(client, seats["village"], "/api/v1/points/best", {**body, "votes_for": 40})
    assert too_many.status_code == 422 and too_many.json()["errors"]["votes_for"]
    not_candidate = post(client, seats["village"], "/api/v1/points/best", {**body, "household": homes["li"].pk})
    assert not_candidate.status_code == 422 and not_candidate.json()["errors"]["household"]
    made = post(client, seats["village"], "/api/v1/points/best", body)
    assert made.status_code == 201 and made.json()["elected"] is True
    assert post(client, seats["village"], "/api/v1/points/best", body).status_code == 409
    board = get(client, seats["village"], f"/api/v1/points/best?village={CAIWAN}&year={year}").json()
    assert board["candidates"] == [] and board["chosen"][0]["votes_for"] == 20
    assert get(client, seats["village"], f"/api/v1/points/best?village={CAIWAN}&year=26").status_code == 422


def test_the_village_report_counts_households_and_fulfilled_wishes_not_workers(client, seats, homes):
    award(seats, homes["wang"], rule="ind-cooperative")
    award(seats, homes["wang"], rule="fam-filial")
    wish = services.wish_record(actor=seats["gridworker"], household=homes["li"], text="给老人送一台收音机")
    services.wish_close(actor=seats["village"], wish=wish, state="fulfilled", outcome="团支部捐赠收音机")
    answer = get(client, seats["village"], f"/api/v1/points/report?village={CAIWAN}&month={NOW:%Y-%m}")
    report = answer.json()
    assert report["taking_part"] == 1 and report["households"] >= 2 and report["fulfilled"] == 1
    assert report["fulfilled_wishes"] == [{"id": wish.pk, "text": "给老人送一台收音机", "outcome": "团支部捐赠收音机"}]
    worker = seats["gridworker"].user
    assert worker.username not in answer.content.decode() and "by" not in report and "workers" not in report
    yearly = get(client, seats["village"], f"/api/v1/points/report?village={CAIWAN}&year={NOW.year}").json()
    assert yearly["period"] == f"{NOW.year} 年度" and yearly["fulfilled"] == 1
    assert get(client, seats["village"], f"/api/v1/points/report?village={CAIWAN}&month=2026-13").status_code == 422
    assert get(client, seats["gridworker2"], f"/api/v1/points/report?village={CAIWAN}").status_code == 404


def test_consent_to_the_red_board_is_given_and_withdrawn(client, seats, homes):
    award(seats, homes["wang"], rule="ind-cooperative")
    url = f"/api/v1/households/{homes['wang'].pk}/points/consent"
    board = f"/api/v1/points/board?village={CAIWAN}&month={NOW:%Y-%m}"
    assert post(client, seats["gridworker"], url, {"given": True}).status_code == 403
    assert post(client, seats["village"], url, {"given": True}).json() == {"household": homes["wang"].pk, "given": True}
    assert [r["name"] for r in get(client, seats["village"], board).json()["red"]] == ["王德明"]
    assert post(client, seats["village"], url, {"given": False}).json()["given"] is False
    assert get(client, seats["village"], board).json()["red"] == []
    outside = f"/api/v1/households/{homes['xiaotang'].pk}/points/consent"
    assert post(client, seats["village"], outside, {"given": True}).status_code == 404
    assert post(client, seats["village"], url, {"given": "maybe"}).status_code == 422
