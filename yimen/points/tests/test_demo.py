"""The demo builder runs on the seated accounts and leaves a consistent ledger."""

from django.db.models import Sum

from yimen.people.tests.samples import make_resident
from yimen.points import demo
from yimen.points.models import Award, Balance, Entry, RuleSet


def test_demo_builds_once_with_balances_matching_the_ledger(seats):
    for seq in range(6):
        make_resident(seats["clerk"], f"村民{seq}", seq=500 + seq)
    assert "6 户" in demo.build_demo()
    assert RuleSet.objects.filter(region__code="450324106200").exists()
    assert Award.objects.filter(state=Award.State.PROPOSED).count() == 3
    for balance in Balance.objects.all():
        total = Entry.objects.filter(household_id=balance.household_id).aggregate(s=Sum("points"))["s"]
        assert balance.balance == total >= 0
    assert "已有" in demo.build_demo()
