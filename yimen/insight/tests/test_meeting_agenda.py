"""待上会 (issue 14 part 6, 洞井): an open red case waits on the meetings page until the centre
puts it on the next joint meeting's agenda; recording that meeting takes the slot onto it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases.models import TimelineEvent
from yimen.cases.tests.conftest import register
from yimen.core.errors import Conflict, NotAllowed, NotFound
from yimen.insight import selectors, services
from yimen.insight.models import AgendaItem


def test_a_red_case_waits_until_it_is_put_on_the_agenda(seats):
    red = register(seats["clerk"], title="村民聚集堵路", risk="red")
    register(seats["clerk"], title="邻里噪音", risk="orange")
    assert list(selectors.awaiting_meeting(member=seats["leader"])) == [red]
    item = services.meeting_agenda_add(actor=seats["dispatcher"], case=red.code)
    assert item.meeting is None and list(selectors.next_agenda(member=seats["leader"])) == [item]
    assert not selectors.awaiting_meeting(member=seats["leader"]).exists()
    assert TimelineEvent.objects.filter(case=red, action="meeting_slot").count() == 1
    with pytest.raises(Conflict) as twice:
        services.meeting_agenda_add(actor=seats["leader"], case=red.code)
    assert twice.value.code == "already_on_agenda"


def test_recording_the_meeting_takes_the_slots_of_its_region(seats):
    red = register(seats["clerk"], risk="red")
    item = services.meeting_agenda_add(actor=seats["dispatcher"], case=red.code)
    meeting = services.meeting_create(
        actor=seats["leader"],
        region=seats["leader"].jurisdiction,
        held_on=timezone.localdate() - timedelta(days=1),
        title="半月联席会议",
        attendees="综治中心 张主任",
        decisions="红色风险案件联合处置",
    )
    item.refresh_from_db()
    assert item.meeting == meeting and not selectors.next_agenda(member=seats["leader"]).exists()


def test_agenda_refusals(seats):
    red = register(seats["clerk"], risk="red")
    with pytest.raises(NotAllowed):
        services.meeting_agenda_add(actor=seats["supervisor"], case=red.code)  # no meeting.manage
    with pytest.raises(Conflict) as not_red:
        services.meeting_agenda_add(actor=seats["dispatcher"], case=register(seats["clerk"]).code)
    assert not_red.value.code == "no_slot_needed"
    with pytest.raises(NotFound):
        services.meeting_agenda_add(actor=seats["dispatcher"], case="450324106-2026-999999")
    assert not AgendaItem.objects.exists()


def test_the_meetings_page_lists_and_slots_them(client, seats, django_assert_max_num_queries):
    reds = [register(seats["clerk"], title=f"红色风险事项{i}", risk="red") for i in range(3)]
    client.force_login(seats["dispatcher"].user)
    with django_assert_max_num_queries(40):
        page = client.get("/dashboard/meetings/").content.decode()
    assert all(case.code in page for case in reds) and "列入下次会议议程" in page
    answer = client.post("/dashboard/meetings/agenda/", {"case": reds[0].code}, follow=True)
    assert "已列入下次联席会议议程" in answer.content.decode()
    assert AgendaItem.objects.get().case == reds[0]
    client.force_login(seats["supervisor"].user)
    assert client.post("/dashboard/meetings/agenda/", {"case": reds[1].code}).status_code == 403
