"""The demo's 随手拍 reports wait in 才湾村's queue, filed through the citizen's own door."""

from yimen.citizens.demo import build_demo
from yimen.citizens.models import SmsMessage
from yimen.demo.town import build_demo_town
from yimen.fieldwork import selectors
from yimen.org.models import Membership


def test_the_demo_reports_wait_for_the_grid_to_verify_them(db):
    build_demo_town()
    line = build_demo()
    chief = Membership.objects.get(user__username="gridchief", is_active=True)
    waiting = [r for r in selectors.tasks(member=chief).to_verify if hasattr(r, "citizen")]
    assert "待网格员核实" in line and len(waiting) >= 2 and SmsMessage.objects.count() == 3
    assert build_demo() == "群众随手拍：已有，未重建。"
