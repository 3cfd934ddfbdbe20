"""微心愿: recorded, then fulfilled or declined with a reason, once."""

import pytest

from yimen.core.errors import Conflict, Invalid
from yimen.points import services
from yimen.points.models import Wish


def test_a_wish_is_declined_only_with_a_reason_and_closed_once(seats, homes):
    wish = services.wish_record(actor=seats["gridworker"], household=homes["wang"], text="希望村口装一盏路灯")
    assert wish.village.code == "450324106200" and wish.state == Wish.State.OPEN
    with pytest.raises(Invalid):
        services.wish_close(actor=seats["village"], wish=wish, state=Wish.State.DECLINED, outcome=" ")
    services.wish_close(actor=seats["village"], wish=wish, state=Wish.State.FULFILLED, outcome="村委会已安装路灯")
    with pytest.raises(Conflict):
        services.wish_close(actor=seats["village"], wish=wish, state=Wish.State.DECLINED, outcome="重复")
