"""Issue 14 parts 1–4: every unit's door registers and may handle the matter itself (自办), the
villages handle cases, progress notes and contacts (办理记录), and the co-units answer (协办意见,
撤回协办, review waits for them, overdue rules for them too)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import MembershipFactory, UnitFactory
from yimen.cases import selectors, services
from yimen.cases.models import Assignment, Case, Notification
from yimen.cases.tests.conftest import GRID, JUDICIAL, POLICE, VILLAGE, act, case_in, register
from yimen.cases.tests.test_api import bearer, body, post_case
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.geo.models import Region
from yimen.org.models import Unit
from yimen.org.roles import Role

FIGHT = {"kind": "incident", "category": "incident.fight", "channel": "phone", "parties": []}


def post_action(client, member, case, action, **fields):
    case.refresh_from_db()
    return client.post(
        f"/api/v1/cases/{case.code}/actions/{action}",
        {"version": case.version, **fields},
        content_type="application/json",
        headers=bearer(member),
    )


# ---------------------------------------------------------------------------------------------
# Part 1: every unit's door (首接负责), the record number, 自办


def test_the_police_register_a_110_call_with_its_record_number(client, seats):
    answer = post_case(
        client,
        seats["police"],
        body(title="110 接警：唐德明与侄子唐志强斗殴", channel="phone", source_ref="110-20261201-0032"),
    )
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["first_unit"]["code"] == POLICE and data["source_ref"] == "110-20261201-0032"
    assert client.get(f"/api/v1/cases/{data['code']}", headers=bearer(seats["police"])).json()["source_ref"] == (
        "110-20261201-0032"
    )
    client.force_login(seats["dispatcher"].user)
    page = client.get(f"/cases/{data['code']}/").content.decode()
    assert 'data-testid="source-ref">110-20261201-0032<' in page


def test_the_intake_form_keeps_the_record_number(client, seats):
    client.force_login(seats["judicial"].user)
    page = client.get("/cases/new/")
    assert page.status_code == 200 and 'name="source_ref"' in page.content.decode()


def test_a_matter_the_police_registered_waits_in_the_centres_queue(seats):
    case = register(seats["police"], source_ref="110-20261201-0032")
    assert case.first_unit.code == POLICE and case.state == "registered"
    assert Case.objects.visible_to(seats["dispatcher"]).filter(pk=case.pk).exists()
    act("accept", case, seats["dispatcher"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=JUDICIAL, support_units=[POLICE, VILLAGE])
    assert case.state == "dispatched" and case.lead_unit.code == JUDICIAL


def test_the_first_unit_takes_what_the_catalogue_gives_it(seats):
    case = register(seats["police"], **FIGHT, title="110 接警：村口两人打架")
    events_before = case.events.count()
    case = act("take", case, seats["police"], note="出警处置")
    assert (case.state, case.lead_unit.code) == ("in_progress", POLICE)
    assert case.accepted_at and case.dispatched_at == case.accepted_at
    lead = case.assignments.get()
    assert (lead.unit.code, lead.role, lead.state) == (POLICE, "lead", "signed") and lead.signed_at
    assert lead.deadline and lead.sign_deadline and lead.deadline <= case.deadline
    assert case.events.count() == events_before + 1 and case.events.last().action == "take"
    with pytest.raises(Conflict):  # taken already
        act("take", case, seats["police"])
    assert [s["action"] for s in selectors.public_steps(case=case)] == ["register", "take"]


def test_take_is_refused_where_the_catalogue_names_another_lead(seats):
    noise = register(seats["police"], category="dispute.neighbour.noise")  # the village leads it
    with pytest.raises(NotAllowed) as refused:
        act("take", noise, seats["police"])
    assert refused.value.code == "not_catalogue_lead" and "综治中心" in refused.value.message
    Case.objects.filter(pk=noise.pk).update(category=None)  # no catalogue row at all
    with pytest.raises(NotAllowed):
        act("take", noise, seats["police"])


def test_only_the_first_unit_takes(client, seats):
    case = register(seats["clerk"], **FIGHT, title="群众来电：村口两人打架")
    assert post_action(client, seats["police"], case, "take").status_code == 404  # not its case
    assert post_action(client, seats["dispatcher"], case, "take").status_code == 403  # no such right
    mine = register(seats["police"], **FIGHT, title="110 接警：村口两人打架")
    assert post_action(client, seats["police"], mine, "take", note="出警").status_code == 200


# ---------------------------------------------------------------------------------------------
# Part 2: the villages handle cases


@pytest.fixture
def for_village(seats):
    case = case_in("accepted", seats)
    return act("dispatch", case, seats["dispatcher"], lead_unit=VILLAGE)


def test_the_village_signs_notes_and_replies(client, seats, for_village):
    village = seats["village"]
    assert post_action(client, village, for_village, "sign").status_code == 200
    noted = post_action(client, village, for_village, "note", text="已到现场查看界桩。")
    assert noted.status_code == 200
    replied = post_action(client, village, for_village, "reply", text="村调委会调解，双方重新埋设界桩。")
    assert replied.status_code == 200 and replied.json()["state"] == "replied"


def test_the_grid_chief_signs_for_the_village(seats, for_village):
    case = act("sign", for_village, seats["gridchief"])
    assert case.state == "in_progress"
    assert case.events.last().unit.code == VILLAGE


def test_another_villages_grid_chief_and_the_grid_staff_may_not_sign(client, seats, for_village):
    other = Region.objects.get(code="450324106201")
    unit = UnitFactory(code="450324106201-village", kind=Unit.Kind.VILLAGE, region=other)
    chief = MembershipFactory(unit=unit, role=Role.GRID_CHIEF, jurisdiction=other)
    assert post_action(client, chief, for_village, "sign").status_code == 404  # not its village
    assert post_action(client, seats["gridworker"], for_village, "sign").status_code == 403
    informant = MembershipFactory(
        unit=seats["village"].unit, role=Role.INFORMANT, jurisdiction=Region.objects.get(code=GRID)
    )
    assert post_action(client, informant, for_village, "sign").status_code == 403


def test_village_resolution_counts_closed_disputes_led_by_a_village(seats):
    led = act("dispatch", case_in("accepted", seats), seats["dispatcher"], lead_unit=VILLAGE)
    for step, who, extra in (("sign", "village", {}), ("reply", "village", {"text": "已调解"})):
        led = act(step, led, seats[who], **extra)
    act("review", led, seats["dispatcher"], approved=True)
    case_in("closed", seats)  # the police led it
    case_in("in_progress", seats)  # not closed: not counted
    assert selectors.village_resolution(Case.objects.all()) == (1, 2)
    later = (timezone.now() + timedelta(days=1), timezone.now() + timedelta(days=2))
    assert selectors.village_resolution(Case.objects.all(), window=later) == (0, 0)


# ---------------------------------------------------------------------------------------------
# Part 3: progress notes and contacts


def test_a_note_with_a_contact_is_one_event_and_a_new_version(client, seats):
    case = case_in("in_progress", seats)
    version, state = case.version, case.state
    answer = post_action(
        client,
        seats["police"],
        case,
        "note",
        text="电话联系申请人，约定明日上门调解。",
        contact={"party": 0, "channel": "phone", "result": "已接通，当事人同意调解"},
    )
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["version"], answer.json()["state"]) == (version + 1, state)
    event = case.events.last()
    assert (event.action, event.note, event.unit.code) == ("note", "电话联系申请人，约定明日上门调解。", POLICE)
    assert event.data == {
        "contact": {"party": 0, "name": "唐建国", "channel": "phone", "result": "已接通，当事人同意调解"}
    }
    act("note", case, seats["clerk"], text="当事人来窗口询问进度。")  # no contact: not in case_contacts
    assert list(selectors.case_contacts(case)) == [event]
    timeline = client.get(f"/api/v1/cases/{case.code}/timeline", headers=bearer(seats["police"])).json()
    assert [e["contact"] for e in timeline if e["action"] == "note"] == [event.data["contact"], None]


def test_note_refusals(client, seats):
    case = case_in("in_progress", seats)
    assert post_action(client, seats["police"], case, "note", text="").status_code == 422
    blank = post_action(client, seats["police"], case, "note", text="   ")
    assert blank.status_code == 422 and "text" in blank.json()["errors"]
    bad = post_action(
        client, seats["police"], case, "note", text="上门走访。", contact={"party": 5, "channel": "visit"}
    )
    assert bad.status_code == 422 and "contact.party" in bad.json()["errors"]
    assert (
        post_action(
            client, seats["police"], case, "note", text="上门走访。", contact={"party": 0, "channel": "fax"}
        ).status_code
        == 422
    )
    with pytest.raises(Invalid) as refused:
        act("note", case, seats["police"], text="上门走访。", contact={"party": 0, "channel": "fax"})
    assert "contact.channel" in refused.value.errors
    stale = client.post(
        f"/api/v1/cases/{case.code}/actions/note",
        {"version": case.version - 1, "text": "上门走访。"},
        content_type="application/json",
        headers=bearer(seats["police"]),
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert post_action(client, seats["supervisor"], case, "note", text="过问。").status_code == 403
    assert post_action(client, seats["court"], case, "note", text="过问。").status_code == 404
    closed = case_in("closed", seats)
    refused = post_action(client, seats["dispatcher"], closed, "note", text="补记。")
    assert refused.status_code == 409 and refused.json()["code"] == "wrong_state"
    assert case.events.filter(action="note").count() == 0


def test_the_case_page_shows_the_notes_and_warns_the_follow_up(client, seats):
    case = case_in("closed", seats)
    client.force_login(seats["clerk"].user)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert 'data-testid="not-contacted"' in page and "暂无办理记录" in page
    Case.objects.filter(pk=case.pk).update(state="in_progress")
    act(
        "note",
        case,
        seats["police"],
        text="上门了解情况。",
        contact={"party": 0, "channel": "visit", "result": "当事人在家"},
    )
    Case.objects.filter(pk=case.pk).update(state="closed")
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert 'data-testid="not-contacted"' not in page and 'data-testid="contacted"' in page
    assert 'data-testid="contact-badge">上门联系 唐建国<' in page and "上门了解情况。" in page


def test_the_note_form_posts_a_contact(client, seats):
    case = case_in("in_progress", seats)
    client.force_login(seats["police"].user)
    form = {"version": case.version, "text": "微信联系被申请人。", "contact.party": "1", "contact.channel": "wechat"}
    assert client.post(f"/cases/{case.code}/actions/note/", form).status_code == 302
    assert case.events.last().data["contact"]["name"] == "唐明华"
    refused = client.post(f"/cases/{case.code}/actions/note/", {"version": case.version + 1, "text": ""})
    assert refused.status_code == 422 and "请填写办理情况" in refused.content.decode()


# ---------------------------------------------------------------------------------------------
# Part 4: the co-units answer


def test_the_support_unit_answers_its_part_on_the_page(client, seats):
    case = case_in("in_progress", seats)
    act("sign", case, seats["judicial"])
    client.force_login(seats["judicial"].user)
    panels = {p.action: p for p in client.get(f"/cases/{case.code}/").context["panels"]}
    assert panels["reply"].form.fields["text"].label == "协办意见"
    case.refresh_from_db()
    answer = client.post(f"/cases/{case.code}/actions/reply/", {"version": case.version, "text": "已协助调解。"})
    assert answer.status_code == 302
    support = case.assignments.get(unit__code=JUDICIAL)
    assert (support.state, support.reply) == ("replied", "已协助调解。")
    case.refresh_from_db()
    assert case.state == "in_progress"  # the co-unit's answer does not move the case


def replied_without_support(seats) -> Case:
    case = case_in("in_progress", seats)
    return act("reply", case, seats["police"], text="已调解。")


def test_review_waits_for_the_support_units_then_release_lets_it_close(client, seats):
    case = replied_without_support(seats)
    client.force_login(seats["dispatcher"].user)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert f"协办单位{seats['judicial'].unit.name}尚未答复" in page
    refused = post_action(client, seats["dispatcher"], case, "review", approved=True)
    assert refused.status_code == 409 and refused.json()["code"] == "support_not_answered"
    assert "协办单位" in refused.json()["detail"] and seats["judicial"].unit.name in refused.json()["detail"]
    assert post_action(client, seats["dispatcher"], case, "review", approved=False, note="补充材料").status_code == 200
    act("reply", case, seats["police"], text="已补充。")
    released = post_action(
        client, seats["dispatcher"], case, "release", unit=JUDICIAL, reason="当事人已和解，无需司法所协办"
    )
    assert released.status_code == 200
    assert case.assignments.get(unit__code=JUDICIAL).state == "withdrawn"
    event = case.events.last()
    assert (event.action, event.note, event.data) == ("release", "当事人已和解，无需司法所协办", {"unit": JUDICIAL})
    assert post_action(client, seats["dispatcher"], case, "review", approved=True).json()["state"] == "closed"


def test_release_refusals(client, seats):
    case = case_in("in_progress", seats)
    no_reason = post_action(client, seats["dispatcher"], case, "release", unit=JUDICIAL, reason="")
    assert no_reason.status_code == 422
    blank = post_action(client, seats["dispatcher"], case, "release", unit=JUDICIAL, reason="  ")
    assert blank.status_code == 422 and "reason" in blank.json()["errors"]
    lead = post_action(client, seats["dispatcher"], case, "release", unit=POLICE, reason="不需要")
    assert lead.status_code == 422 and "unit" in lead.json()["errors"]  # the lead is not released
    assert post_action(client, seats["police"], case, "release", unit=JUDICIAL, reason="不需要").status_code == 403
    closed = case_in("closed", seats)
    assert post_action(client, seats["dispatcher"], closed, "release", unit=JUDICIAL, reason="x").status_code == 409
    assert case.assignments.get(unit__code=JUDICIAL).state == "pending"


def test_a_late_support_unit_is_urged_like_the_lead(seats):
    case = replied_without_support(seats)  # the lead has answered; 司法所 has not even signed
    Assignment.objects.filter(case=case, unit__code=JUDICIAL).update(deadline=timezone.now() - timedelta(days=2))
    assert services.supervision_sweep() == 1
    event = case.events.last()
    assert (event.action, event.data["unit"]) == ("urge", JUDICIAL)
    assert Notification.objects.filter(unit__code=JUDICIAL, case=case, level=1).exists()
    assert not Notification.objects.filter(unit__code=POLICE, case=case).exists()


def test_the_support_units_inbox_lists_its_part(client, seats):
    case = act("dispatch", case_in("accepted", seats), seats["dispatcher"], lead_unit=JUDICIAL, support_units=[VILLAGE])
    client.force_login(seats["village"].user)
    page = client.get("/cases/", {"tab": "pending"}).content.decode()
    assert case.code in page and "协办 · 待签收" in page


def test_the_police_record_number_finds_the_case(client, seats):
    """The link back: the 110 record number typed in the search box finds the case registered
    from it, for the police who took it and the centre."""
    case = register(seats["police"], source_ref="110-20261201-0032")
    register(seats["police"], source_ref="110-20261201-0033", title="另一起接警")
    for member in (seats["police"], seats["dispatcher"]):
        found = client.get("/api/v1/cases?q=110-20261201-0032", headers=bearer(member)).json()
        assert [item["code"] for item in found["items"]] == [case.code]
