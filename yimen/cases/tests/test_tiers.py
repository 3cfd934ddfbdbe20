"""分级处置 (issue 14 part 6, 洞井): the risk colour chooses the path as data — the dispatch
suggestion follows the tier over the catalogue row, a red case owes a report to the county with
its deadline, and group size escalates by editable risk rules (≥ 5 orange, ≥ 20 red)."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps

from yimen.cases import catalogue, page_selectors, services
from yimen.cases.models import HandlingTier, RiskRule, TimelineEvent, UpwardReport
from yimen.cases.tests.conftest import JUDICIAL, POLICE, VILLAGE, act, case_in, register
from yimen.cases.tests.test_api import bearer
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.generations import bump

MIGRATION = importlib.import_module("yimen.cases.migrations.0008_tiers_supervision_orders")


@pytest.mark.parametrize(
    ("risk", "lead", "supports", "reason"),
    [
        ("blue", VILLAGE, {POLICE}, "蓝色风险：村委会就地化解，社区民警协助"),
        ("yellow", VILLAGE, {POLICE}, "黄色风险：村委会主办，社区民警先期处置"),
        ("orange", POLICE, {VILLAGE}, "橙色风险：派出所主办，村委会协办"),
    ],
)
def test_the_tier_suggests_its_units_over_the_catalogue_row(seats, risk, lead, supports, reason):
    case = case_in("accepted", seats, risk=risk)
    suggested = page_selectors.dispatch_suggestion(case=case)
    assert suggested["lead_unit"] == lead and supports <= set(suggested["support_units"])
    assert lead not in suggested["support_units"] and suggested["reason"].startswith(reason)
    assert "派单目录“" in suggested["reason"]  # where the rest came from


def test_red_keeps_the_catalogue_lead_and_adds_the_joint_units(seats):
    case = case_in("accepted", seats, risk="red", category="dispute.land.homestead")  # 司法所 leads
    plain = case_in("accepted", seats, risk="orange", category="dispute.land.homestead")
    suggested = page_selectors.dispatch_suggestion(case=case)
    assert suggested["lead_unit"] == JUDICIAL and page_selectors.dispatch_suggestion(case=plain)["lead_unit"] == POLICE
    assert {POLICE, VILLAGE} - {suggested["lead_unit"]} <= set(suggested["support_units"])
    assert suggested["reason"].startswith("红色风险")


def test_an_edited_tier_changes_the_suggestion(seats):
    services.handling_tier_update(
        actor=seats["dispatcher"],
        risk="orange",
        lead="judicial",
        supports=[],
        reason="橙色风险：司法所主办",
        joint_plan_required=False,
        meeting_slot_required=False,
        report_required=False,
    )
    suggested = page_selectors.dispatch_suggestion(case=case_in("accepted", seats, risk="orange"))
    assert suggested["lead_unit"] == JUDICIAL and suggested["reason"].startswith("橙色风险：司法所主办")


def test_the_dispatch_form_shows_the_reason_and_the_dispatcher_chooses(client, seats):
    case = case_in("accepted", seats, risk="orange")
    client.force_login(seats["dispatcher"].user)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert "橙色风险：派出所主办，村委会协办" in page
    chosen = act("dispatch", case, seats["dispatcher"], lead_unit=JUDICIAL)  # not the suggestion
    assert chosen.lead_unit.code == JUDICIAL


def test_the_dispatch_form_names_the_catalogue_row_it_suggests_from(client, seats):
    case = case_in("accepted", seats, category="dispute.family.violence")
    client.force_login(seats["dispatcher"].user)
    assert "其余依据派单目录“家庭暴力”" in client.get(f"/cases/{case.code}/").content.decode()
    HandlingTier.objects.filter(risk=case.risk).delete()  # no tier for its risk: the row alone
    bump(catalogue.RULES_GENERATION)  # as every writer of the tiers does (catalogue.intake_rules)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert "依据派单目录“家庭暴力”建议（仅供参考，请核对后选择）" in page


def test_a_case_registered_red_owes_a_report_to_the_county_by_the_tier_policy(seats):
    case = register(seats["clerk"], risk="red")
    report = case.upward_report
    assert report.to == "全州县综治中心" and report.reported_at is None
    assert report.due_at - case.received_at <= timedelta(hours=24, minutes=1)
    assert not UpwardReport.objects.filter(case=register(seats["clerk"], risk="orange")).exists()


def test_raising_to_red_opens_the_report_once(seats):
    case = case_in("in_progress", seats)
    case = act("raise_risk", case, seats["police"], risk="red", reason="聚集", plan="联合处置")
    assert UpwardReport.objects.filter(case=case).count() == 1
    assert case.events.last().action == "raise_risk"  # the step's one event; the report is owed, not filed


def test_the_dispatcher_files_the_report_once(client, seats):
    case = register(seats["clerk"], risk="red")
    url = f"/api/v1/cases/{case.code}/upward-report"
    owed = client.get(url, headers=bearer(seats["leader"])).json()
    assert owed["reported_at"] is None and owed["to"] == "全州县综治中心"
    empty = client.post(url, {"text": ""}, content_type="application/json", headers=bearer(seats["dispatcher"]))
    assert empty.status_code == 422 and "text" in empty.json()["errors"]
    filed = client.post(
        url, {"text": "已电话并书面报县综治中心"}, content_type="application/json", headers=bearer(seats["dispatcher"])
    )
    assert filed.status_code == 200 and filed.json()["reported_by"] == "dispatcher"
    again = client.post(url, {"text": "再报"}, content_type="application/json", headers=bearer(seats["leader"]))
    assert again.status_code == 409 and again.json()["code"] == "already_reported"
    assert TimelineEvent.objects.filter(case=case, action="report_upward").count() == 1


def test_report_refusals(seats):
    red = register(seats["clerk"], risk="red")
    for who in ("clerk", "police", "supervisor"):  # no permission
        with pytest.raises(NotAllowed):
            services.case_report_upward(case=red, actor=seats[who], text="报告")
    with pytest.raises(Conflict) as none_owed:
        services.case_report_upward(case=register(seats["clerk"]), actor=seats["dispatcher"], text="报告")
    assert none_owed.value.code == "no_report_owed"
    with pytest.raises(Invalid):
        services.case_report_upward(case=red, actor=seats["dispatcher"], text="  ")


def test_the_board_and_the_case_page_show_the_owed_report(client, seats):
    case = register(seats["clerk"], title="村民聚集堵路", risk="red")
    client.force_login(seats["dispatcher"].user)
    assert case.code in client.get("/cases/supervision/").content.decode()
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert 'data-testid="upward-form"' in page and "报全州县综治中心" in page
    assert client.post(f"/cases/{case.code}/upward-report/", {"text": "已报县"}).status_code == 302
    assert 'data-testid="upward-form"' not in client.get(f"/cases/{case.code}/").content.decode()
    client.force_login(seats["police"].user)
    assert client.post(f"/cases/{case.code}/upward-report/", {"text": "x"}).status_code == 403


def test_a_tier_without_the_plan_flag_lets_red_go_out_without_a_plan(seats):
    case = case_in("accepted", seats, risk="red")
    with pytest.raises(Invalid):
        act("dispatch", case, seats["dispatcher"], lead_unit=POLICE)
    HandlingTier.objects.filter(risk="red").update(joint_plan_required=False)
    bump(catalogue.RULES_GENERATION)
    assert act("dispatch", case, seats["dispatcher"], lead_unit=POLICE).state == "dispatched"


@pytest.mark.parametrize(("size", "risk"), [(4, "blue"), (5, "orange"), (19, "orange"), (20, "red")])
def test_group_size_escalates_by_the_seeded_rules(seats, size, risk):
    assert register(seats["clerk"], title="村民反映", group_size=size).risk == risk


def test_the_group_size_rules_are_data(seats):
    RiskRule.objects.filter(min_group_size=20).update(min_group_size=30)
    bump(catalogue.RULES_GENERATION)
    assert register(seats["clerk"], title="村民反映", group_size=25).risk == "orange"


def test_the_migration_moves_only_the_red_rule_as_seeded(db):
    RiskRule.objects.all().delete()
    seeded = RiskRule.objects.create(name="大规模群体（50 人以上）", min_group_size=50, risk="red")
    edited = RiskRule.objects.create(name="大规模群体（50 人以上）", min_group_size=50, risk="red", pattern="堵路")
    MIGRATION.load(apps, None)
    seeded.refresh_from_db()
    edited.refresh_from_db()
    assert (seeded.name, seeded.min_group_size) == ("大规模群体（20 人以上）", 20)
    assert edited.min_group_size == 50


def test_the_catalogue_manager_edits_a_tier(seats):
    fields = {
        "risk": "orange",
        "lead": "judicial",
        "supports": ["village"],
        "reason": "橙色风险：司法所主办，村委会协办",
        "joint_plan_required": False,
        "meeting_slot_required": True,
        "report_required": True,
        "report_to": "全州县综治中心",
        "report_policy": "report.red",
    }
    with pytest.raises(NotAllowed):
        services.handling_tier_update(actor=seats["supervisor"], **fields)
    with pytest.raises(Invalid) as bad:
        services.handling_tier_update(actor=seats["dispatcher"], **{**fields, "lead": "nowhere", "report_policy": ""})
    assert {"lead", "report_policy"} <= set(bad.value.errors)
    services.handling_tier_update(actor=seats["dispatcher"], **fields)
    case = register(seats["clerk"], risk="orange")
    assert case.upward_report.to == "全州县综治中心"  # orange now owes a report too
    assert page_selectors.dispatch_suggestion(case=case)["lead_unit"] == JUDICIAL


def test_the_api_suggests_by_the_tier(client, seats):
    case = case_in("accepted", seats, risk="orange")
    url = f"/api/v1/cases/{case.code}/dispatch-suggestion"
    answer = client.get(url, headers=bearer(seats["dispatcher"])).json()
    assert answer["lead_unit"] == POLICE and VILLAGE in answer["support_units"]
    assert answer["reason"] == "橙色风险：派出所主办，村委会协办；其余依据派单目录“其他矛盾纠纷”"
    assert client.get(url, headers=bearer(seats["police"])).status_code == 403
