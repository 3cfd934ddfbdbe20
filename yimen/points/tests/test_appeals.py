"""Appeals: within the period, decided by someone other than the approver; upheld → reversal."""

from datetime import timedelta

import pytest

from yimen.core.errors import Conflict, NotAllowed
from yimen.points import selectors, services
from yimen.points.models import Entry

from .conftest import award


def test_upheld_appeal_reverses_the_entry_and_the_approver_may_not_decide(seats, homes):
    entry = award(seats, homes["li"], rule="san-burn").entry  # approved by `village`
    appeal = services.appeal_file(actor=seats["gridworker"], entry=entry, grounds="焚烧者系外村人员")
    with pytest.raises(NotAllowed):
        services.appeal_decide(actor=seats["village"], appeal=appeal, upheld=True, decision="属实")
    services.appeal_decide(actor=seats["gridchief"], appeal=appeal, upheld=True, decision="经走访核实属实")
    assert selectors.balance_of(homes["li"]) == selectors.ledger_sum(homes["li"]) == 0
    assert Entry.objects.get(reverses=entry).reason == "申诉成立：经走访核实属实"


def test_appeal_after_the_period_is_refused(seats, homes, village_rules):
    entry = award(seats, homes["li"], rule="san-litter").entry
    Entry.objects.filter(pk=entry.pk).update(at=entry.at - timedelta(days=village_rules.appeal_days + 1))
    entry.refresh_from_db()
    with pytest.raises(Conflict, match="申诉期"):
        services.appeal_file(actor=seats["gridworker"], entry=entry, grounds="不服")


def test_a_rules_monthly_cap_holds_at_approval(seats, homes):
    award(seats, homes["wang"], rule="ind-cooperative")  # 加入农民专业合作社: once a month
    second = services.award_propose(
        actor=seats["gridworker"],
        household=homes["wang"],
        rule_code="ind-cooperative",
        note="又一次",
        evidence="见证人",
    )
    with pytest.raises(Conflict, match="每月最多记 1 次，该户本月已记 1 次"):
        services.award_approve(actor=seats["village"], award_id=second.pk)
    assert selectors.balance_of(homes["wang"]) == 10
    award(seats, homes["li"], rule="ind-cooperative")  # another household has its own count
    assert selectors.balance_of(homes["li"]) == 10
