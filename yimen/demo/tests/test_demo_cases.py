"""The demo year of cases (DESIGN §9): every kind in every state, a realistic volume, the seed
stories, timelines the services would have written, fast enough for `make demo`."""

from collections import Counter
from itertools import pairwise

import pytest
from django.db import transaction

from yimen.cases.demo import build_demo_cases
from yimen.cases.models import Assignment, Case, Kind, TimelineEvent
from yimen.cases.selectors import CaseFilters, case_list
from yimen.core.crypto import sm4_decrypt
from yimen.demo.town import build_demo_town
from yimen.org.models import Membership, Unit


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo town and its year of cases, built once for the module inside a transaction that
    is rolled back at its end (each test runs in a savepoint within it)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            build_demo_town()
            yield build_demo_cases(seed=7)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_db(demo, db):
    return demo


def test_volume_kinds_states_and_speed(demo_db):
    report = demo_db
    assert 1500 <= report.cases <= 3000
    kinds = Counter(Case.objects.values_list("kind", flat=True))
    assert set(kinds) == set(Kind.values)
    assert set(report.states) == set(Case.State.values)
    for kind in Kind.values:
        states = set(Case.objects.filter(kind=kind).values_list("state", flat=True))
        assert {"registered", "accepted", "dispatched", "in_progress", "replied", "closed", "archived"} <= states, kind
    assert Case.objects.overdue().exists() and Case.objects.filter(supervision_level__gt=0).exists()


def test_timelines_read_like_the_services_wrote_them(demo_db):
    for case in Case.objects.order_by("?")[:200]:
        events = list(case.events.order_by("at", "id"))
        assert events[0].action == "register" and events[-1].to_state == case.state, case.code
        assert all(a.to_state == b.from_state for a, b in pairwise(events)), case.code
        assert all(a.at <= b.at for a, b in pairwise(events)), case.code
        # Every step after registration takes a version, the sweep's automatic raises too (issue 13 item 9).
        assert case.version == 1 + sum(e.action != "register" for e in events), case.code
    leads = Assignment.objects.filter(role="lead", state__in=Assignment.ACTIVE)
    assert leads.values("case").distinct().count() == leads.count()
    codes = list(Case.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) and all(c.startswith("450324106-") for c in codes)


def test_seed_stories_are_there(demo_db):
    uncle = Case.objects.get(title__contains="叔侄互殴")
    assert uncle.state == "archived" and "三调联动" in uncle.events.get(action="reply", data__role="lead").note
    assert not uncle.assignments.filter(role="support", state__in=Assignment.UNANSWERED).exists()  # co-units answered
    assert set(uncle.assignments.values_list("unit__code", flat=True)) >= {"450324106-judicial", "450324106-police"}
    consult = Case.objects.get(title__startswith="蒋秀兰咨询离婚")
    assert consult.kind == "legal_service" and consult.lead_unit.code == "450324106-judicial"
    assert Case.objects.filter(kind="legal_aid", title__startswith="蒋秀兰").exists()
    group = Case.objects.get(title__contains="集体反映征地补偿")
    assert (group.kind, group.risk, group.group_size, group.state) == ("petition", "red", 23, "in_progress")
    assert group.joint_plan and group.extension_days == 30 and group.parties.filter(role="representative").count() == 5
    hazards = Case.objects.filter(kind="hazard", channel="grid", title__startswith="网格员上报")
    assert hazards.count() >= 4 and hazards.filter(first_unit__kind="village").exists()
    assert TimelineEvent.objects.filter(case__in=hazards, actor__username__startswith="gridworker").exists()


def test_every_door_and_every_village_acts_in_the_demo(demo_db):
    village = Membership.objects.get(user__username="village")
    assert (village.unit.code, village.role, village.title) == (
        "450324106200-village",
        "handler",
        "村委会副主任（调解主任）",
    )
    committees = Unit.objects.filter(kind="village")
    handled = set(Membership.objects.filter(role="handler", unit__kind="village").values_list("unit", flat=True))
    assert committees.count() > 1 and handled == set(committees.values_list("pk", flat=True))
    call = Case.objects.get(title__contains="唐德明与侄子唐志强因田土界桩")
    assert (call.first_unit.code, call.state) == ("450324106-police", "registered")
    assert call.source_ref.startswith("110-") and call.source_ref.endswith("-0032")
    theft = Case.objects.get(title__contains="电动车电瓶被盗")
    assert (theft.state, theft.lead_unit.code) == ("in_progress", "450324106-police")
    assert [e.action for e in theft.events.order_by("at", "id")] == ["register", "take", "note"]


def test_a_returning_caller_is_on_the_clerks_home(demo_db, client):
    """This morning's returning applicant (yimen/cases/demo/returning.py): the clerk's home lists
    the case under 重复来访, and a search by the phone finds the earlier case too."""
    again = Case.objects.get(title__contains="再次来访")
    clerk = Membership.objects.get(user__username="clerk")
    client.force_login(clerk.user)
    home = client.get("/").content.decode()
    assert again.code in home[home.index('data-testid="day-repeat"') :]
    phone = sm4_decrypt(again.parties.get(role="applicant").phone_cipher)
    assert case_list(member=clerk, filters=CaseFilters(q=phone)).count() >= 2


def test_building_again_leaves_the_cases_alone(demo_db):
    again = build_demo_cases(seed=7)
    assert again.skipped and again.cases == demo_db.cases


def test_the_demo_year_has_supervision_orders_and_reports_to_the_county(demo_db):
    from yimen.cases.models import SupervisionOrder, UpwardReport

    orders = list(SupervisionOrder.objects.order_by("sequence"))
    assert len(orders) == 2 and all(o.case.documents.filter(kind=o.document_kind).count() == 2 for o in orders)
    answered, open_one = orders
    assert answered.answer and answered.answered_at and open_one.answered_at is None and not open_one.is_overdue
    red = Case.objects.filter(risk="red")
    assert red.exists() and UpwardReport.objects.filter(case__in=red).count() == red.count()
    assert UpwardReport.objects.filter(reported_at__isnull=False).exists()
