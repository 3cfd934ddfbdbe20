"""The demo's mediation (DESIGN §9): a roster of about forty mediators for 才湾镇, the mediation
records of the year's disputes that a mediating unit handled, and the two seed stories on the
cases the cases demo wrote (found by title): the uncle–nephew boundary fight settled by joint
mediation with the agreement issued and court confirmation, and the divorce and
domestic-violence consultation, where the woman refused to mediate with her husband and was
guided to a protection order at the court.

Historical rows are written with their own times (the services stamp "now"), as the cases demo
writes its year; the agreements' documents are issued through the cases engine."""

import random
import time

from django.db import transaction

from yimen.geo.models import Region
from yimen.mediation.demo.awaiting import _awaiting_the_court
from yimen.mediation.demo.common import TOWN
from yimen.mediation.demo.roster import _roster
from yimen.mediation.demo.stories import _consultation, _uncle_and_nephew
from yimen.mediation.demo.year import _year
from yimen.mediation.models import Agreement, Mediator


def build_demo(*, seed: int = 450324106) -> str:
    if Mediator.objects.exists():
        return "调解：已有，未重建。"
    started = time.monotonic()
    with transaction.atomic():
        rng = random.Random(seed)
        town = Region.objects.get(code=TOWN)
        roster = _roster(town, rng)
        count = _year(town, roster, rng)
        _uncle_and_nephew(roster)
        _consultation()
        awaiting = _awaiting_the_court()
    agreements = Agreement.objects.count()
    return (
        f"调解：调解员 {len(roster['all'])} 名，调解 {count} 件（协议 {agreements} 份），"
        f"含叔侄边界纠纷联合调解、家暴咨询两个故事，{awaiting or '无'}待法庭受理司法确认，"
        f"用时 {time.monotonic() - started:.1f} 秒。"
    )
