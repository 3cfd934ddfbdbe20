"""隆回微警 (issue 15 parts 5 and 6): police contacts by police members only, coverage by 户 and 人
down to the micro-grid, the officer's list, and anti-fraud alerts through the notifier with
their reach per village and no phone number in the report."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import MembershipFactory
from yimen.core.models import AuditEntry
from yimen.geo.models import Region
from yimen.org.roles import Role
from yimen.people import police
from yimen.people.models import AlertDelivery, FraudAlert, Household, Person, PoliceContact
from yimen.people.tests.samples import XIAOTANG_MICROGRID


class Recorder:
    """A notifier that keeps what it was asked to send and answers a receipt."""

    sent: list[tuple[str, str]] = []

    def send(self, to_phone: str, message: str) -> str:
        Recorder.sent.append((to_phone, message))
        return f"r-{len(Recorder.sent)}"


@pytest.fixture
def recorder(settings):
    settings.YIMEN_NOTIFIER = "yimen.people.tests.test_police.Recorder"
    Recorder.sent = []
    return Recorder


def contact(person: Person, officer, *, on: date | None = None, channel: str = "wechat") -> PoliceContact:
    return police.police_contact_record(
        actor=officer, person=person, channel=channel, contacted_on=on or timezone.localdate(), verified=True
    )


def test_police_records_a_contact_and_the_household_joins(api, resident, persona):
    person = resident("张三", seq=1)
    persona("police")
    body = {"channel": "wechat", "contacted_on": "2026-03-01", "verified": True}
    answer = api.post("police", f"/persons/{person.pk}/contacts", body)
    assert answer.status_code == 201, answer.json()
    assert answer.json()["channel"] == "wechat" and answer.json()["officer"] == "police"
    person.refresh_from_db()
    assert person.police_contact_on == date(2026, 3, 1)
    assert Household.objects.get(pk=person.household_id).police_contact_on == date(2026, 3, 1)
    older = api.post("police", f"/persons/{person.pk}/contacts", {**body, "contacted_on": "2026-01-01"})
    assert older.status_code == 201
    person.refresh_from_db()
    assert person.police_contact_on == date(2026, 3, 1)  # the latest contact stands
    assert [c["contacted_on"] for c in api.get("clerk", f"/persons/{person.pk}/contacts").json()] == [
        "2026-03-01",
        "2026-01-01",
    ]
    entry = AuditEntry.objects.filter(action="police_contact_add", target=f"person:{person.pk}").first()
    assert entry is not None and entry.actor_username == "police"


def test_only_police_members_record_contacts_and_bad_input_is_refused(api, resident, persona):
    person = resident("张三", seq=2)
    persona("police")
    body = {"channel": "phone", "contacted_on": "2026-03-01"}
    for role in ("clerk", "gridworker", "gridchief", "court"):
        assert api.post(role, f"/persons/{person.pk}/contacts", body).status_code == 403, role
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    late = api.post("police", f"/persons/{person.pk}/contacts", {**body, "contacted_on": tomorrow})
    assert late.status_code == 422 and late.json()["errors"]["contacted_on"] == ["联系日期不能晚于今天。"]
    assert api.post("police", f"/persons/{person.pk}/contacts", {**body, "channel": "fax"}).status_code == 422
    assert PoliceContact.objects.count() == 0


def test_community_police_of_another_village_see_nothing(client, resident, persona):
    person = resident("张三", seq=3)  # 才湾村
    station = persona("police").unit
    cop = MembershipFactory(
        user__username="xiaotang_cop",
        unit=station,
        role=Role.HANDLER,
        jurisdiction=Region.objects.get(code="450324106201"),
    )
    client.force_login(cop.user)
    assert client.post(f"/persons/{person.pk}/contacts/", {"channel": "visit"}).status_code == 404
    assert person.pk not in [p.pk for p in client.get("/police/worklist/").context["page_obj"]]


def test_contact_form_on_the_card_keeps_what_was_typed(signed_in, resident):
    person = resident("张三", seq=4)
    client = signed_in("police")
    card = client.get(f"/persons/{person.pk}/").content.decode()
    assert 'data-testid="contact-form"' in card and "尚未建立警民联系" in card
    refused = client.post(f"/persons/{person.pk}/contacts/", {"channel": "visit", "contacted_on": "2026-13-01"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "请输入有效日期" in page and 'value="2026-13-01"' in page
    done = client.post(f"/persons/{person.pk}/contacts/", {"channel": "visit", "contacted_on": "2026-02-02"})
    assert done.status_code == 302
    card = client.get(f"/persons/{person.pk}/").content.decode()
    assert "走访" in card and "2026-02-02" in card
    assert 'data-testid="contact-form"' not in signed_in("clerk").get(f"/persons/{person.pk}/").content.decode()


def test_coverage_counts_persons_and_lists_the_missing_in_a_microgrid(signed_in, api, resident, persona):
    officer = persona("police")
    reached = resident("张三", seq=5)
    resident("李四", seq=6)
    resident("王五", seq=7, micro=XIAOTANG_MICROGRID)
    contact(reached, officer)
    client = signed_in("police")
    top = client.get("/coverage/").context["top"]
    assert (top.persons, top.contacted, top.households, top.joined) == (3, 1, 3, 1)
    rows = {row.region.name: (row.persons, row.contacted) for row in top.children}
    assert rows == {"才湾村": (2, 1), "小塘村": (1, 0)}
    micro = client.get("/coverage/", {"region": "4503241062000101"}).content.decode()
    missing = micro.split('data-testid="missing-persons"')[1]
    assert "李四" in missing and "张三" not in missing
    assert "138****0006" in missing and "13800000006" not in micro
    village = api.get("police", "/police-contact/coverage?region=450324106200").json()
    assert (village["persons"], village["contacted"], len(village["children"])) == (2, 1, 1)


def test_moved_out_residents_leave_the_coverage(signed_in, resident, persona):
    from yimen.people import upkeep

    gone = resident("张三", seq=8)
    upkeep.person_mark_left(
        actor=persona("dispatcher"), person=gone, version=gone.version, status="moved_out", purpose="户籍迁往县城"
    )
    assert signed_in("clerk").get("/coverage/").context["top"].persons == 0


@pytest.mark.parametrize("n", [1, 15])
def test_worklist_and_coverage_cost_is_flat(signed_in, resident, persona, django_assert_max_num_queries, n):
    for seq in range(n):
        resident(f"居民{seq}", seq=100 + seq)
    client = signed_in("police")
    with django_assert_max_num_queries(16):
        page = client.get("/police/worklist/")
    assert len(page.context["page_obj"]) == n and "138****0100" in page.content.decode()
    with django_assert_max_num_queries(16):
        client.get("/coverage/", {"region": "4503241062000101"})


def test_worklist_is_for_police_and_lists_only_the_uncontacted(signed_in, resident, persona):
    officer = persona("police")
    done, todo = resident("张三", seq=9), resident("李四", seq=10)
    contact(done, officer)
    listed = [p.pk for p in signed_in("police").get("/police/worklist/").context["page_obj"]]
    assert listed == [todo.pk]
    assert signed_in("gridworker").get("/police/worklist/").status_code == 403
    assert "联系清单" not in signed_in("clerk").get("/").content.decode()


def alert_body(**fields) -> dict:
    return {"title": "冒充客服退款诈骗", "text": "近期有人冒充网购客服以退款为名索要验证码，切勿转账。", **fields}


def test_an_alert_reaches_the_contacted_with_a_phone(
    api, resident, persona, recorder, django_capture_on_commit_callbacks
):
    officer = persona("police")
    reached = [resident("张三", seq=11), resident("王五", seq=12, micro=XIAOTANG_MICROGRID)]
    silent = resident("赵六", seq=13, phone="")  # contacted, but no phone for the notifier
    resident("李四", seq=14)  # never contacted
    for person in [*reached, silent]:
        contact(person, officer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post("police", "/fraud-alerts", alert_body(region="450324106"))
    assert answer.status_code == 201, answer.json()
    assert answer.json()["recipients"] == 2
    assert sorted(phone for phone, _ in recorder.sent) == ["13800000011", "13800000012"]
    assert "冒充客服退款诈骗" in recorder.sent[0][1]
    alert = FraudAlert.objects.get()
    assert alert.state == "sent"
    report = api.get("police", f"/fraud-alerts/{alert.pk}")
    reach = {row["village"]["name"]: (row["recipients"], row["sent"]) for row in report.json()["reach"]}
    assert reach == {"才湾村": (1, 1), "小塘村": (1, 1)}
    assert "138" not in report.content.decode()  # no phone, not even masked
    actions = set(AuditEntry.objects.filter(target=f"fraud_alert:{alert.pk}").values_list("action", flat=True))
    assert actions == {"fraud_alert_send", "fraud_alert_sent"}


def test_reach_is_acknowledged_by_the_officer_or_the_callback(
    api, signed_in, resident, persona, recorder, django_capture_on_commit_callbacks
):
    officer = persona("police")
    first, second = resident("张三", seq=15), resident("李四", seq=16)
    for person in (first, second):
        contact(person, officer)
    with django_capture_on_commit_callbacks(execute=True):
        alert = police.fraud_alert_send(actor=officer, title="预警", text="谨防刷单诈骗", region=first.region)
    one = AlertDelivery.objects.get(alert=alert, person=first)
    page = signed_in("police").post(f"/police/alerts/{alert.pk}/deliveries/{one.pk}/ack/", {"village": ""})
    assert page.status_code == 302
    again = api.post("police", f"/fraud-alerts/{alert.pk}/deliveries/{one.pk}/acknowledge", {})
    assert again.status_code == 409 and again.json()["code"] == "already_acknowledged"
    other = AlertDelivery.objects.get(alert=alert, person=second)
    assert police.alert_delivery_report(receipt=other.receipt, status="delivered") is True
    assert police.alert_delivery_report(receipt=other.receipt, status="delivered") is False  # a retry
    [row] = api.get("police", f"/fraud-alerts/{alert.pk}").json()["reach"]
    assert (row["sent"], row["delivered"], row["acknowledged"]) == (2, 1, 1)
    body = signed_in("police").get(f"/police/alerts/{alert.pk}/").content.decode()
    assert "张三" in body and "已确认" in body and "138" not in body


def test_an_alert_for_a_tag_group_and_its_refusals(api, resident, persona, recorder):
    officer = persona("police")
    elder = resident("张三", seq=17, tags=["留守老人"])
    contact(elder, officer)
    contact(resident("李四", seq=18), officer)
    grouped = api.post("police", "/fraud-alerts", alert_body(region="450324106", tag="留守老人"))
    assert grouped.status_code == 201 and grouped.json()["recipients"] == 1
    assert api.post("clerk", "/fraud-alerts", alert_body(region="450324106")).status_code == 403
    unknown = api.post("police", "/fraud-alerts", alert_body(region="450324106", tag="无此标签"))
    assert unknown.status_code == 422 and unknown.json()["errors"]["tag"] == ["未知标签。"]
    blank = api.post("police", "/fraud-alerts", alert_body(region="450324106", text=" "))
    assert blank.status_code == 422 and "text" in blank.json()["errors"]
    outside = api.post("police", "/fraud-alerts", alert_body(region="450325"))
    assert outside.status_code == 422 and "region" in outside.json()["errors"]


def test_alert_page_sends_and_keeps_what_was_typed(signed_in, resident, persona, recorder):
    contact(resident("张三", seq=19), persona("police"))
    client = signed_in("police")
    refused = client.post("/police/alerts/", {"title": "刷单诈骗", "text": "", "region": "450324106"})
    assert refused.status_code == 422
    assert "请填写预警内容。" in refused.content.decode() and 'value="刷单诈骗"' in refused.content.decode()
    sent = client.post("/police/alerts/", {"title": "刷单诈骗", "text": "刷单就是诈骗", "region": "450324106"})
    assert sent.status_code == 302
    listing = client.get("/police/alerts/").content.decode()
    assert "刷单诈骗" in listing and "1 人" in listing
    assert signed_in("gridchief").get("/police/alerts/").status_code == 403


def test_town_coverage_is_kept_but_a_new_contact_shows_at_once(signed_in, resident, persona):
    officer, person = persona("police"), resident("张三", seq=20)
    client = signed_in("police")
    assert client.get("/coverage/").context["top"].contacted == 0
    contact(person, officer)
    page = client.get("/coverage/")
    assert page.context["top"].contacted == 1 and 'data-testid="counted-at"' in page.content.decode()
