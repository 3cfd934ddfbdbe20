"""Early warnings on hand-worked fixtures: each rule fires at its threshold and not below it,
names its rule and evidence, reaches the supervisor's board, and is dismissed only with a reason
(a dismissed subject comes back only when its evidence grows)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import MembershipFactory
from yimen.core.errors import Invalid
from yimen.core.models import AuditEntry
from yimen.geo.models import Region
from yimen.smart import selectors, services, tasks
from yimen.smart.models import EarlyWarning
from yimen.smart.services_warnings import warnings_refresh
from yimen.smart.tests.conftest import GRID, OTHER_GRID, register

pytestmark = pytest.mark.django_db


def ago(days: int):
    return timezone.now() - timedelta(days=days)


def applicant(phone: str, name: str = "唐建国") -> list[dict]:
    return [{"name": name, "role": "applicant", "phone": phone}]


def rules_raised() -> dict[str, EarlyWarning]:
    warnings_refresh()
    return {w.rule_id: w for w in EarlyWarning.objects.filter(state="open")}


def test_repeat_petitioner_fires_at_three_rising_matters_in_ninety_days(seats):
    clerk = seats["clerk"]
    register(clerk, title="第一次", received_at=ago(60), parties=applicant("13907730001"))
    register(clerk, title="第二次", received_at=ago(20), parties=applicant("13907730001"))
    assert "repeat_petitioner" not in rules_raised()  # two: below the threshold

    register(clerk, title="第三次", received_at=ago(5), parties=applicant("139 0773 0001"))  # same number
    warning = rules_raised()["repeat_petitioner"]
    assert warning.label == "唐建国" and warning.count == 3
    assert warning.evidence == "近 90 日同一当事人 3 件（后半段 2 件）"


def test_falling_matters_are_no_repeat_warning(seats):
    clerk = seats["clerk"]
    for days in (80, 70, 60, 10):  # three in the first half, one in the second: falling
        register(clerk, title="来访", received_at=ago(days), parties=applicant("13907730002"))
    assert "repeat_petitioner" not in rules_raised()


def test_a_dispute_between_the_same_parties_recurring(seats):
    clerk = seats["clerk"]
    pair = [
        {"name": "唐建国", "role": "applicant", "phone": "13907730001"},
        {"name": "唐明华", "role": "respondent"},
    ]
    register(clerk, title="宅基地边界", received_at=ago(100), parties=pair)
    register(clerk, title="又因边界吵架", received_at=ago(3), parties=pair)
    register(clerk, title="另一对", received_at=ago(3), parties=[pair[0], {"name": "王五", "role": "respondent"}])
    warning = rules_raised()["recurring_dispute"]
    assert warning.label == "唐建国 与 唐明华" and warning.count == 2


def test_a_cluster_of_hazards_at_one_place(seats):
    clerk = seats["clerk"]
    for days in (25, 10):
        register(clerk, kind="hazard", title="电线杆倾斜", received_at=ago(days), region=GRID)
    register(clerk, kind="hazard", title="电线杆倾斜", received_at=ago(40), region=GRID)  # outside 30 days
    register(clerk, kind="hazard", title="路面塌陷", received_at=ago(2), region=OTHER_GRID)
    assert "hazard_cluster" not in rules_raised()
    register(clerk, kind="hazard", title="护栏缺失", received_at=ago(1), region=GRID)
    warning = rules_raised()["hazard_cluster"]
    assert warning.region.code == GRID and warning.evidence == "近 30 日同一地点隐患 3 件"


def test_a_group_matter_growing(seats):
    clerk = seats["clerk"]
    wages = {"kind": "dispute", "category": "dispute.wages.arrears", "region": GRID}
    register(clerk, title="工地欠薪", group_size=6, received_at=ago(40), **wages)
    register(clerk, title="欠薪又来", group_size=4, received_at=ago(20), **wages)  # under 5: no group matter
    assert "growing_group" not in rules_raised()
    register(clerk, title="工地欠薪又来", group_size=15, received_at=ago(5), **wages)
    warning = rules_raised()["growing_group"]
    assert warning.evidence == "群体性事项 2 次，人数 6 → 15"


def test_the_board_lists_warnings_with_rule_and_evidence_for_supervisors_only(client, seats):
    clerk = seats["clerk"]
    for days in (25, 10, 1):
        register(clerk, kind="hazard", title="电线杆倾斜", received_at=ago(days), region=GRID)
    tasks.warnings_nightly.call_local()
    client.force_login(seats["supervisor"].user)
    page = client.get("/smart/warnings/").content.decode()
    assert "同一地点隐患集中" in page and "近 30 日同一地点隐患 3 件" in page
    client.force_login(clerk.user)
    assert client.get("/smart/warnings/").status_code == 403


def test_dismissal_needs_a_reason_and_holds_until_the_evidence_grows(client, seats):
    clerk, supervisor = seats["clerk"], seats["supervisor"]
    for days in (25, 10, 1):
        register(clerk, kind="hazard", title="电线杆倾斜", received_at=ago(days), region=GRID)
    warning = rules_raised()["hazard_cluster"]
    with pytest.raises(Invalid):
        services.warning_dismiss(warning=warning, actor=supervisor, reason="  ")
    client.force_login(supervisor.user)
    refused = client.post(f"/smart/warnings/{warning.pk}/dismiss/", {"reason": ""})
    assert refused.status_code == 422 and "请填写排除理由" in refused.content.decode()

    services.warning_dismiss(warning=warning, actor=supervisor, reason="同一根电线杆，已报供电所")
    assert AuditEntry.objects.filter(action="warning_dismiss", purpose="同一根电线杆，已报供电所").exists()
    assert "hazard_cluster" not in rules_raised()  # the same three: held back
    register(clerk, kind="hazard", title="又一根电线杆倾斜", received_at=ago(0), region=GRID)
    assert rules_raised()["hazard_cluster"].count == 4


def test_the_board_is_by_jurisdiction(seats):
    anonymous = [{"name": "李四", "role": "applicant"}]
    for days in (25, 10, 1):
        register(
            seats["clerk"],
            kind="hazard",
            title="电线杆倾斜",
            received_at=ago(days),
            region=OTHER_GRID,
            parties=anonymous,
        )
    warnings_refresh()
    village = Region.objects.get(code="450324106200")  # 才湾村; the hazards lie in 小塘村
    narrow = MembershipFactory(unit=seats["supervisor"].unit, role="supervisor", jurisdiction=village)
    assert selectors.warnings_visible(member=seats["supervisor"]).count() == 1
    assert selectors.warnings_visible(member=narrow).count() == 0


@pytest.mark.parametrize("places", [1, 4])
def test_the_board_costs_the_same_for_one_warning_as_for_many(client, seats, django_assert_max_num_queries, places):
    grids = [GRID, OTHER_GRID, "4503241062000101", "4503241062010101"][:places]
    for region in grids:
        for days in (25, 10, 1):
            register(seats["clerk"], kind="hazard", title="隐患", received_at=ago(days), region=region)
    warnings_refresh()
    assert EarlyWarning.objects.filter(rule_id="hazard_cluster").count() == places
    client.force_login(seats["supervisor"].user)
    client.get("/smart/warnings/")  # the session and the menu's first reads
    with django_assert_max_num_queries(12):
        page = client.get("/smart/warnings/")
    assert page.content.decode().count('data-testid="evidence"') >= places
