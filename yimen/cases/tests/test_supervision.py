"""The hourly sweep raises 催办 → 督办 → 通报 on late work, with notifications to the
responsible unit and its leaders; the supervision board lists red, orange and late cases."""

from datetime import timedelta

import pytest

from yimen.cases import selectors, services
from yimen.cases.models import Notification
from yimen.cases.tasks import cases_supervision_hourly
from yimen.cases.tests.conftest import POLICE, act, at, case_in, register
from yimen.core.errors import Conflict


def dispatched_incident(seats, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9))  # a Monday
    case = act("accept", register(seats["clerk"], kind="incident", title="村口有人打架"), seats["clerk"])
    return act("dispatch", case, seats["dispatcher"], lead_unit=POLICE)  # 2 hours, sign within 1 hour


def test_sweep_raises_one_level_at_a_time_and_never_twice(seats, time_machine):
    case = dispatched_incident(seats, time_machine)
    act("sign", case, seats["police"])
    assert services.supervision_sweep() == 0
    time_machine.move_to(at(2026, 3, 2, 12))
    assert services.supervision_sweep() == 1 and services.supervision_sweep() == 0
    case.refresh_from_db()
    assert case.supervision_level == 1 and case.overdue_level == 1
    event = case.events.last()
    assert (event.action, event.actor, event.actor_name, event.data["auto"]) == ("urge", None, "系统", True)
    time_machine.move_to(at(2026, 3, 6, 12))  # 4 working days late
    assert services.supervision_sweep() == 1
    time_machine.move_to(at(2026, 3, 20, 12))  # 14 working days late
    assert services.supervision_sweep() == 1
    case.refresh_from_db()
    assert case.supervision_level == 3
    assert [e.action for e in case.events.filter(data__auto=True)] == ["urge", "supervise", "censure"]
    to_unit = Notification.objects.filter(unit__code=POLICE, case=case).order_by("created_at")
    assert [n.level for n in to_unit] == [1, 2, 3] and to_unit[0].text.startswith("催办")
    assert Notification.objects.filter(member=seats["leader"], case=case).count() == 3
    mine = selectors.notifications_for(member=seats["police"], unread_only=True)
    assert mine.count() == 3
    services.notification_read(member=seats["police"], notification=mine[0])
    assert selectors.notifications_for(member=seats["police"], unread_only=True).count() == 2


def test_an_unsigned_dispatch_is_urged_after_the_sign_window(seats, time_machine):
    case = dispatched_incident(seats, time_machine)
    time_machine.move_to(at(2026, 3, 2, 10, 30))  # signing window (1 h) over, deadline (2 h) not yet
    assert services.supervision_sweep() == 1
    assert case.assignments.get().supervision_level == 1
    # The notice says the sign window passed, not that a deadline still to come "已超过".
    notice = Notification.objects.get(unit__code=POLICE, case=case).text
    assert "未在 2026-03-02 10:00 前签收" in notice and "已超过期限" not in notice


def test_an_undispatched_petition_past_its_routing_deadline_is_urged_at_the_first_unit(seats, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9))
    case = register(seats["petition"], kind="petition", title="反映村务不公开")
    time_machine.move_to(case.accept_deadline + timedelta(hours=1))
    assert cases_supervision_hourly.call_local() == 1
    assert Notification.objects.filter(unit=seats["petition"].unit, case=case, level=1).exists()


def test_supervision_board_lists_red_orange_and_late(seats):
    calm = case_in("in_progress", seats)
    hot = case_in("accepted", seats, description="对方扬言要砍死他")
    orange = case_in("accepted", seats, category="dispute.family.violence", title="家暴求助")
    closed_red = act("close", case_in("accepted", seats, description="扬言报复"), seats["clerk"])
    board = [c.code for c in selectors.supervision_board(member=seats["supervisor"])]
    assert board[0] == hot.code and orange.code in board
    assert calm.code not in board and closed_red.code not in board
    assert services.case_urge(case=calm, actor=seats["supervisor"], version=calm.version).code in [
        c.code for c in selectors.supervision_board(member=seats["supervisor"])
    ]


def test_a_sweep_raise_takes_a_new_version_so_an_older_form_is_stale(seats, time_machine):
    case = dispatched_incident(seats, time_machine)
    case = act("sign", case, seats["police"])
    drawn = case.version
    time_machine.move_to(at(2026, 3, 2, 12))  # late: the sweep urges
    assert services.supervision_sweep() == 1
    case.refresh_from_db()
    assert case.version == drawn + 1 and case.supervision_level == 1
    with pytest.raises(Conflict) as refused:
        services.case_reply(case=case, actor=seats["police"], version=drawn, text="已处置。")
    assert refused.value.code == "stale_version"
    assert services.case_reply(case=case, actor=seats["police"], version=case.version, text="已处置。").state == (
        "replied"
    )


def test_a_sweep_raise_on_a_case_not_yet_dispatched_takes_a_new_version(seats, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9))
    case = register(seats["petition"], kind="petition", title="反映村务不公开")
    drawn = case.version
    time_machine.move_to(case.accept_deadline + timedelta(hours=1))
    assert services.supervision_sweep() == 1
    case.refresh_from_db()
    assert case.version == drawn + 1 and case.supervision_level == 1
