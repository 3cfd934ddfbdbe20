"""The demo's 吹哨报到: the flare-up of the uncle–nephew fight, three units summoned, two arrived
(one late), one missing with its 催办 notice, both arrivals rated, the whistle still open."""

from yimen.cases.demo.whistles import build_demo_whistles
from yimen.cases.models import Notification, Whistle
from yimen.demo.town import build_demo_town


def test_the_demo_whistle_tells_the_story(db):
    build_demo_town()
    assert build_demo_whistles().startswith("吹哨报到：450324106-")
    whistle = Whistle.objects.get()
    assert whistle.is_open and whistle.summoned_by.user.username == "zhengfa"
    calls = {c.unit.kind: c for c in whistle.calls.select_related("unit")}
    assert set(calls) == {"police", "judicial", "village"}
    assert calls["police"].arrived_at and not calls["police"].late and calls["police"].rating == 5
    assert calls["judicial"].late and calls["judicial"].rating == 3 and calls["judicial"].arrived_at
    assert calls["village"].arrived_at is None and calls["village"].late
    assert calls["police"].arrived_at - whistle.summoned_at < calls["judicial"].arrived_at - whistle.summoned_at
    urged = Notification.objects.filter(case=whistle.case, unit__kind__in=["judicial", "village"], member=None)
    assert urged.count() == 2
    assert build_demo_whistles().endswith("已有，未重建。")
    # The case's history reads in order: registered and dispatched before the whistle blew.
    actions = list(whistle.case.events.order_by("at", "id").values_list("action", flat=True))
    assert actions[:4] == ["register", "accept", "dispatch", "whistle"]
