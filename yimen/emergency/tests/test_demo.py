"""The demo builder seeds a stood-down flood with its report and a live search, once."""

from yimen.emergency.demo import build_demo
from yimen.emergency.models import DutyShift, Incident


def test_demo_seeds_once(seats, outbox):
    assert "响应中 1 起" in build_demo()
    assert Incident.objects.filter(state="closed").count() == 1
    search = Incident.objects.get(state="active")
    assert search.allocations.get().resource.name == "才湾镇联防巡逻队"
    assert search.commander.user.username in ("leader", "zhengfa")  # the shift on duty took command
    assert DutyShift.objects.count() >= 13  # a week ahead (this evening, the day shift is over)
    assert "未重建" in build_demo()
