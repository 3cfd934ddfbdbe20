"""API.md "Points (积分制)": what the grid worker, the village committee and the counter see."""

import base64

from django.utils import timezone

from yimen.core.tests.samples import jpeg
from yimen.points import selectors, services
from yimen.points.models import Award, Entry, Item, Rule

from .conftest import award, bearer

PHOTO = "data:image/jpeg;base64," + base64.b64encode(jpeg()).decode()


def post(client, member, url, body=None, **headers):
    return client.post(url, body or {}, "application/json", headers={**bearer(member), **headers})


def get(client, member, url):
    return client.get(url, headers=bearer(member))


def test_village_rules_are_the_adopted_default_set_of_five_categories(client, seats, village_rules):
    rules = get(client, seats["gridworker"], "/api/v1/points/rules?village=450324106200").json()
    assert len(rules) >= 30
    assert {r["category"] for r in rules} == {"industry", "virtue", "sanitation", "integrity", "family"}
    assert any(r["points"] < 0 for r in rules)
    assert set(rules[0]) == {"code", "category", "name", "points", "evidence_required"}
    # another village's worker: as good as absent
    assert get(client, seats["gridworker2"], "/api/v1/points/rules?village=450324106200").status_code == 404


def test_proposal_reaches_the_ledger_only_on_approval(client, seats, homes):
    wang = homes["wang"]
    made = post(
        client,
        seats["gridworker"],
        "/api/v1/points/awards",
        {"household": wang.pk, "rule": "vir-volunteer", "note": "清扫村道", "photos": [PHOTO]},
    )
    assert made.status_code == 201 and made.json()["state"] == "proposed"
    ledger = get(client, seats["village"], f"/api/v1/households/{wang.pk}/points").json()
    assert ledger["balance"] == 0 and [e["state"] for e in ledger["entries"]] == ["proposed"]

    approved = post(client, seats["village"], f"/api/v1/points/awards/{made.json()['id']}/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    ledger = get(client, seats["village"], f"/api/v1/households/{wang.pk}/points").json()
    assert ledger["balance"] == 2
    assert [(e["rule"], e["points"], e["state"]) for e in ledger["entries"]] == [("vir-volunteer", 2, "approved")]
    again = post(client, seats["gridchief"], f"/api/v1/points/awards/{made.json()['id']}/approve")
    assert again.status_code == 409


def test_the_proposer_may_not_approve_his_own(client, seats, homes):
    made = post(
        client,
        seats["gridchief"],
        "/api/v1/points/awards",
        {"household": homes["li"].pk, "rule": "fam-harmony", "note": "邻里互助", "evidence": "村民小组长"},
    )
    refused = post(client, seats["gridchief"], f"/api/v1/points/awards/{made.json()['id']}/approve")
    assert refused.status_code == 403 and "自己" in refused.json()["detail"]
    assert post(client, seats["village"], f"/api/v1/points/awards/{made.json()['id']}/approve").status_code == 200


def test_a_grid_worker_cannot_approve_and_a_rejection_needs_a_reason(client, seats, homes):
    made = post(
        client,
        seats["gridworker"],
        "/api/v1/points/awards",
        {"household": homes["li"].pk, "rule": "san-burn", "note": "焚烧秸秆", "photos": [PHOTO]},
    ).json()
    assert post(client, seats["gridworker"], f"/api/v1/points/awards/{made['id']}/approve").status_code == 403
    blank = post(client, seats["village"], f"/api/v1/points/awards/{made['id']}/reject", {"reason": ""})
    assert blank.status_code == 422 and "reason" in blank.json()["errors"]
    rejected = post(
        client, seats["village"], f"/api/v1/points/awards/{made['id']}/reject", {"reason": "经核实系邻户所为"}
    )
    assert rejected.json()["state"] == "rejected"
    assert selectors.balance_of(homes["li"]) == 0


def test_unknown_rule_missing_evidence_and_other_villages_household(client, seats, homes):
    worker = seats["gridworker"]
    unknown = post(
        client, worker, "/api/v1/points/awards", {"household": homes["wang"].pk, "rule": "no-such", "note": "x"}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"]["rule"]
    bare = post(
        client, worker, "/api/v1/points/awards", {"household": homes["wang"].pk, "rule": "vir-blood", "note": "献血"}
    )
    assert bare.status_code == 422 and "照片" in bare.json()["detail"] and bare.json()["errors"]["photos"]
    noted = {"household": homes["wang"].pk, "rule": "vir-blood", "note": "献血", "evidence": "献血证"}
    assert post(client, worker, "/api/v1/points/awards", noted).json()["errors"]["photos"]  # a note is no photo
    outside = post(
        client,
        worker,
        "/api/v1/points/awards",
        {"household": homes["xiaotang"].pk, "rule": "vir-blood", "note": "献血", "evidence": "p"},
    )
    assert outside.status_code == 404
    assert get(client, seats["village"], f"/api/v1/households/{homes['xiaotang'].pk}/points").status_code == 404
    assert (
        post(
            client, worker, "/api/v1/points/awards", {"household": "abc", "rule": "vir-blood", "note": "x"}
        ).status_code
        == 422
    )


def test_idempotency_key_makes_one_proposal(client, seats, homes):
    body = {"household": homes["wang"].pk, "rule": "san-yard", "note": "庭院整洁", "photos": [PHOTO]}
    first = post(client, seats["gridworker"], "/api/v1/points/awards", body, **{"Idempotency-Key": "k-1"})
    second = post(client, seats["gridworker"], "/api/v1/points/awards", body, **{"Idempotency-Key": "k-1"})
    assert first.json()["id"] == second.json()["id"]


def test_a_rule_change_never_rewrites_past_entries(seats, homes, village_rules):
    award(seats, homes["wang"], rule="vir-volunteer")
    Rule.objects.filter(ruleset=village_rules, code="vir-volunteer").update(points=50)  # even a direct edit
    services.ruleset_adopt(actor=seats["village"], village=village_rules.region, source=village_rules)
    assert selectors.balance_of(homes["wang"]) == 2
    assert list(Entry.objects.filter(household=homes["wang"]).values_list("points", flat=True)) == [2]


def test_reversal_is_a_new_entry_with_a_reason(seats, homes):
    approved = award(seats, homes["wang"], rule="fam-filial")
    entry = approved.entry
    reversal = services.entry_reverse(actor=seats["village"], entry=entry, reason="评定结果撤销")
    assert reversal.points == -5 and reversal.reverses == entry
    assert Entry.objects.filter(household=homes["wang"]).count() == 2
    assert selectors.balance_of(homes["wang"]) == selectors.ledger_sum(homes["wang"]) == 0


def test_redemption_checks_balance_and_stock_with_the_figure(client, seats, homes, item):
    wang = homes["wang"]
    award(seats, wang, rule="ind-cooperative")  # +10
    award(seats, wang, rule="fam-filial")  # +5
    short = post(
        client, seats["village"], "/api/v1/points/redemptions", {"household": wang.pk, "item": item.pk, "quantity": 2}
    )
    assert short.status_code == 409 and "15" in short.json()["detail"] and "20" in short.json()["detail"]
    made = post(
        client, seats["village"], "/api/v1/points/redemptions", {"household": wang.pk, "item": item.pk, "quantity": 1}
    )
    assert made.status_code == 201 and made.json()["balance"] == 5 and made.json()["points"] == 10
    Item.objects.filter(pk=item.pk).update(stock=0)
    empty = post(
        client, seats["village"], "/api/v1/points/redemptions", {"household": wang.pk, "item": item.pk, "quantity": 1}
    )
    assert empty.status_code == 409 and "仅剩 0" in empty.json()["detail"]
    assert (
        post(
            client,
            seats["gridworker"],
            "/api/v1/points/redemptions",
            {"household": wang.pk, "item": item.pk, "quantity": 1},
        ).status_code
        == 403
    )
    assert selectors.balance_of(wang) == selectors.ledger_sum(wang) == 5


def test_red_board_names_only_consenting_households_black_board_no_names(client, seats, homes):
    award(seats, homes["wang"], rule="ind-cooperative")
    award(seats, homes["li"], rule="fam-filial")
    award(seats, homes["li"], rule="san-litter")
    services.consent_give(actor=seats["village"], household=homes["wang"])
    month = timezone.localtime().strftime("%Y-%m")
    url = f"/api/v1/points/board?village=450324106200&month={month}"
    board = get(client, seats["village"], url)
    body = board.json()
    assert [r["name"] for r in body["red"]] == ["王德明"]
    assert body["black"] == [{"category": "sanitation", "behaviour": "乱倒垃圾、污水", "count": 1, "points": -3}]
    assert "李秀英" not in board.content.decode()
    services.consent_withdraw(actor=seats["village"], household=homes["wang"])
    assert get(client, seats["village"], url).json()["red"] == []
    assert get(client, seats["village"], "/api/v1/points/board?village=450324106200&month=2026-13").status_code == 422
    assert get(client, seats["gridworker2"], url).status_code == 404


def test_a_reversed_deduction_leaves_the_black_board_and_a_reversed_award_the_red(client, seats, homes):
    services.consent_give(actor=seats["village"], household=homes["wang"])
    deduction = award(seats, homes["li"], rule="san-burn").entry
    merit = award(seats, homes["wang"], rule="ind-cooperative").entry
    services.entry_reverse(actor=seats["village"], entry=deduction, reason="经复核系误记")
    services.entry_reverse(actor=seats["village"], entry=merit, reason="合作社证明不实")
    month = timezone.localtime().strftime("%Y-%m")
    board = get(client, seats["village"], f"/api/v1/points/board?village=450324106200&month={month}").json()
    assert board == {"village": "450324106200", "month": month, "red": [], "black": []}


def test_evidence_photos_come_with_the_proposal_and_bad_ones_are_refused(client, seats, homes):
    body = {"household": homes["wang"].pk, "rule": "san-yard", "note": "庭院整洁"}
    made = post(client, seats["gridworker"], "/api/v1/points/awards", {**body, "photos": [PHOTO, PHOTO]})
    assert made.status_code == 201
    stored = Award.objects.get(pk=made.json()["id"]).photos.all()
    assert len(stored) == 2 and stored[0].content_type == "image/jpeg"
    client.force_login(seats["village"].user)  # the committee sees them on its queue
    shown = client.get(f"/points/awards/{made.json()['id']}/photos/{stored[0].pk}/")
    assert shown.status_code == 200 and b"".join(shown.streaming_content) == jpeg()
    not_base64 = post(client, seats["gridworker"], "/api/v1/points/awards", {**body, "photos": ["%%%"]})
    assert not_base64.status_code == 422 and not_base64.json()["errors"]["photos.0"]
    text = "data:image/jpeg;base64," + base64.b64encode(b"not a picture").decode()
    not_image = post(client, seats["gridworker"], "/api/v1/points/awards", {**body, "photos": [text]})
    assert not_image.status_code == 422 and "不是 JPEG" in not_image.json()["errors"]["photos"][0]
    four = post(client, seats["gridworker"], "/api/v1/points/awards", {**body, "photos": [PHOTO] * 4})
    assert four.status_code == 422 and "photos" in four.json()["errors"]
    assert Award.objects.count() == 1
