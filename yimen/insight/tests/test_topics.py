"""每月一题 (issue 20 part 1): a month's cases clustered into topics, read by the leader and the
dispatcher within their jurisdiction, turned into a governance project, and followed after."""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import RegionFactory, UnitFactory
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.models import AuditEntry
from yimen.geo.models import Region
from yimen.insight.models import GovernanceProject, Topic
from yimen.insight.tests.builders import make_case
from yimen.insight.tests.test_api import bearer
from yimen.insight.topics import selectors, services
from yimen.insight.topics.cluster import Doc, cluster
from yimen.insight.topics.text import terms

CAIWAN, XIAOTANG = "45032410620001", "45032410620101"  # a micro-grid's grid in each village
LAND = ["{n}反映征地补偿款未足额到位", "{n}等村民反映征地补偿款迟迟不发", "{n}来访：征地补偿款被截留"]
DOG = ["{n}反映邻居养狗夜间吠叫扰民", "{n}投诉邻居养狗夜间吠叫", "{n}反映邻居的狗夜间吠叫扰民"]
NAMES = ["唐德明", "蒋秀兰", "唐桂英", "蒋永福", "唐志强", "蒋明华"]


def months_ago(n: int) -> date:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def month_cases(unit, month: date, *, land: int = 4, dog: int = 3) -> list:
    made = []
    for n in range(land):
        title = LAND[n % len(LAND)].format(n=NAMES[n % len(NAMES)])
        made.append(make_case(XIAOTANG, unit, received=f"{month + timedelta(days=n)} 09:00", title=title))
    for n in range(dog):
        title = DOG[n % len(DOG)].format(n=NAMES[(n + 3) % len(NAMES)])
        made.append(make_case(CAIWAN, unit, received=f"{month + timedelta(days=n)} 10:00", title=title))
    made.append(make_case(CAIWAN, unit, received=f"{month} 11:00", title="蒋明华电话咨询工伤认定程序"))
    return made


@pytest.fixture
def built(persona, units, town):
    month = months_ago(2)
    cases = month_cases(units["centre"], month)
    services.topics_build(region=town, month=month)
    return month, cases


def test_person_names_and_boilerplate_are_no_key_terms():
    found = terms("唐德明与侄子唐志强田土边界纠纷，请依职责核实处理")
    assert "唐德明" not in found and "核实" not in found
    assert {"田土", "边界", "纠纷"} <= set(found)


def test_clustering_groups_one_problem_and_leaves_single_cases_out():
    texts = [t.format(n=name) for t in LAND for name in NAMES[:2]] + [t.format(n="唐") for t in DOG] * 2
    docs = [Doc(key=n, terms=terms(text)) for n, text in enumerate(texts)]
    docs.append(Doc(key=99, terms=terms("蒋明华电话咨询工伤认定程序")))
    found = cluster(docs)
    assert [c.keys for c in found] == [list(range(6)), list(range(6, 12))]
    assert "补偿款" in [t for t, _ in found[0].terms]


def test_a_month_becomes_labelled_topics_with_their_places(built, town):
    month, cases = built
    topics = list(Topic.objects.filter(month=month).order_by("-size"))
    assert [t.size for t in topics] == [4, 3]
    assert "小塘村" in topics[0].label and "补偿款" in topics[0].term_words
    assert "才湾村" in topics[1].label
    assert cases[-1].pk not in {c.pk for t in topics for c in t.cases.all()}  # the lone work-injury question


def test_a_rebuild_replaces_the_month_but_keeps_a_project(built, persona, units, town):
    month, _ = built
    land = Topic.objects.get(month=month, size=4)
    services.governance_project_create(
        actor=persona("leader"),
        topic=land,
        owner=units["village"].code,
        goal="补偿款一季度内足额发放",
        milestones="2026-12-31 核对名册",
        prevents="征地补偿款类来访",
    )
    services.topics_build(region=town, month=month)
    services.topics_build(region=town, month=month)
    assert Topic.objects.filter(month=month).count() == 2
    assert Topic.objects.get(month=month, size=4).pk == land.pk  # the project's topic, not a copy


def test_the_api_lists_topics_with_cases_and_places(client, built, persona):
    month, _ = built
    persona("dispatcher")
    auth = bearer(client, "dispatcher")
    body = client.get(f"/api/v1/topics?month={month:%Y-%m}", headers=auth).json()
    assert [len(t["cases"]) for t in body] == [4, 3]
    assert body[0]["places"] == [{"name": "小塘村", "cases": 4}]
    assert set(body[0]) == {"id", "label", "terms", "month", "places", "project", "cases"}
    one_village = client.get(f"/api/v1/topics?month={month:%Y-%m}&region=450324106200", headers=auth).json()
    assert [len(t["cases"]) for t in one_village] == [3]


def test_the_api_refuses_bad_months_other_places_and_other_roles(client, built, persona):
    month, _ = built
    persona("leader")
    persona("police")
    auth = bearer(client, "leader")
    bad = client.get("/api/v1/topics?month=2026-13", headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"]["month"]
    county = Region.objects.get(code="450324")
    RegionFactory(code="450324107", name="咸水镇", level="town", parent=county)
    assert client.get(f"/api/v1/topics?month={month:%Y-%m}&region=450324107", headers=auth).status_code == 404
    assert client.get("/api/v1/topics?monht=2026-11", headers=auth).status_code == 422
    police = bearer(client, "police")
    assert client.get(f"/api/v1/topics?month={month:%Y-%m}", headers=police).status_code == 403


@pytest.mark.parametrize("months", [1, 3])
def test_the_topic_page_costs_the_same_for_more_topics(
    client, persona, units, town, months, django_assert_max_num_queries
):
    for _ in range(months):
        month_cases(units["centre"], months_ago(2))
        services.topics_build(region=town, month=months_ago(2))
    client.force_login(persona("leader").user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("insight:topics"), {"month": f"{months_ago(2):%Y-%m}"})
    assert response.status_code == 200
    # the lone work-injury question, asked three times, is a topic of its own
    assert len(response.context["views"]) == (2 if months == 1 else 3)


def test_a_leader_turns_a_topic_into_a_project_and_follows_it(client, built, persona, units, town):
    month, _ = built
    # The month after the topic's: one land case only, so its volume fell.
    make_case(XIAOTANG, units["centre"], received=f"{months_ago(1)} 09:00", title="唐德明反映征地补偿款未足额到位")
    land = Topic.objects.get(month=month, size=4)
    client.force_login(persona("leader").user)
    url = reverse("insight:topic_project_new", args=[land.pk])
    bad = client.post(
        url, {"owner": units["village"].code, "goal": "足额发放", "milestones": "12月底", "prevents": "征地补偿"}
    )
    assert bad.status_code == 422
    assert "YYYY-MM-DD" in bad.context["form"].errors["milestones"][0]
    good = client.post(
        url,
        {
            "owner": units["village"].code,
            "goal": "补偿款一季度内足额发放",
            "milestones": "2027-01-15 公示名册\n2026-12-20 核对名册",
            "prevents": "征地补偿款类来访",
        },
    )
    assert good.status_code == 302
    project = GovernanceProject.objects.get(topic=land)
    assert [m["due"] for m in project.milestones] == ["2026-12-20", "2027-01-15"]
    assert AuditEntry.objects.filter(action="topic_project_create").count() == 1
    page = client.get(reverse("insight:topic", args=[land.pk]))
    series = dict((m, n) for m, n, _ in page.context["series"])
    assert series[month] == 4 and series[months_ago(1)] == 1
    assert "下降 75%" in page.context["trend"]
    assert "补偿款一季度内足额发放" in page.content.decode()
    # The dashboard follows it too (未诉先办: did it fall?).
    board = client.get(reverse("insight:dashboard")).content.decode()
    follow = board[board.index('data-testid="projects"') :]
    assert land.label in follow and "下降 75%" in follow


def test_a_project_needs_a_leader_a_unit_of_the_jurisdiction_and_only_once(built, persona, units):
    month, _ = built
    land = Topic.objects.get(month=month, size=4)
    fields = {"goal": "目标", "milestones": "2026-12-31 排查", "prevents": "征地补偿"}
    with pytest.raises(NotAllowed):
        services.governance_project_create(
            actor=persona("dispatcher"), topic=land, owner=units["village"].code, **fields
        )
    far = UnitFactory(code="450325-police", region=RegionFactory(code="450325", level="county"))
    with pytest.raises(Invalid) as refused:
        services.governance_project_create(actor=persona("leader"), topic=land, owner=far.code, **fields)
    assert refused.value.errors["owner"]
    services.governance_project_create(actor=persona("leader"), topic=land, owner=units["village"].code, **fields)
    with pytest.raises(Conflict):
        services.governance_project_create(actor=persona("leader"), topic=land, owner=units["village"].code, **fields)


def test_top_topics_for_the_annual_report_hold_no_case_or_person(built, town):
    month, _ = built
    top = selectors.top_topics(town, month, month + timedelta(days=27))
    assert [t["size"] for t in top] == [4, 3]
    assert set(top[0]) == {"id", "label", "terms", "month", "size", "project"}
    assert not any(name in str(top) for name in NAMES)


def test_the_command_builds_a_month(persona, units, town, capsys):
    month = months_ago(2)
    month_cases(units["centre"], month)
    call_command("build_topics", month=f"{month:%Y-%m}")
    assert "生成题目 2 个" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("build_topics", month="2026-1")


def test_the_demo_builds_topics_and_one_project_once(persona, units, town):
    from yimen.insight.topics.demo import build_demo

    month_cases(units["centre"], months_ago(3))
    month_cases(units["centre"], months_ago(1), land=1, dog=3)
    leader = persona("leader")
    assert "立项治理 1 个" in build_demo(leader)
    assert "立项治理 1 个" in build_demo(leader)
    project = GovernanceProject.objects.get()
    assert project.topic.month == months_ago(3) and len(project.milestones) == 3


def test_party_names_and_place_names_are_no_topic_words(units, town):
    from yimen.cases.models import Party

    month = months_ago(2)
    for n in range(3):
        case = make_case(
            XIAOTANG, units["centre"], received=f"{month + timedelta(days=n)} 09:00", title="蒋国军反映小塘村路灯损坏"
        )
        Party.objects.create(case=case, name="蒋国军", role="applicant")
    (topic,) = services.topics_build(region=town, month=month)
    assert "路灯" in topic.term_words
    assert not {"国军", "小塘"} & set(topic.term_words)  # the tagger alone keeps both (see text.terms)
    assert "国军" in terms("蒋国军反映小塘村路灯损坏")
