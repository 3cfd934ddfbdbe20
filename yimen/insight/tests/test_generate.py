"""generate_cases: synthetic cases whose rollups equal the raw tables; reused, topped up, trimmed."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from yimen.cases.models import Case
from yimen.geo.models import Region
from yimen.insight.kpis import compute
from yimen.insight.rollups import facts


def test_generate_top_up_and_trim(units, capsys):
    call_command("generate_cases", count=40, seed=3, days=60)
    assert Case.objects.filter(code__startswith="SYN").count() == 40
    today = timezone.localdate()
    scope = facts.Scope(first=today - timedelta(days=70), last=today, path=Region.objects.get(code="450324").path)
    assert compute.rollup_totals(scope) == facts.totals(scope)
    assert facts.totals(scope)["received"] == 40
    call_command("generate_cases", count=60, seed=3, days=60)
    assert Case.objects.filter(code__startswith="SYN").count() == 60
    call_command("generate_cases", count=25, seed=3, days=60)
    assert Case.objects.filter(code__startswith="SYN").count() == 25
    assert compute.rollup_totals(scope) == facts.totals(scope)
    assert "合成案件 25 件" in capsys.readouterr().out
