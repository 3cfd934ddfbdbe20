"""`manage.py evaluate_smart` on a hand-worked history: train before the cutoff, test after."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yimen.cases.models import Case
from yimen.smart.evaluation import evaluate
from yimen.smart.tests.conftest import closed

pytestmark = pytest.mark.django_db
ANON = [{"name": "李四", "role": "applicant"}]


def test_time_split_accuracy_coverage_and_duplicates_on_clerk_merges(seats):
    clerk = seats["clerk"]
    for i in range(4):  # the past: what the model learns
        closed(clerk, category="dispute.neighbour.trees", title=f"大樟树挡住窗户{i}", days_ago=200, parties=ANON)
    closed(clerk, category="dispute.debt", title="借钱不还有欠条", days_ago=200, parties=ANON)
    # The last 90 days: two right, one the model cannot know (no word in common with anything).
    first = closed(clerk, category="dispute.neighbour.trees", title="大樟树挡住窗户", days_ago=20, parties=ANON)
    repeat = closed(clerk, category="dispute.neighbour.trees", title="大樟树挡住窗户", days_ago=10, parties=ANON)
    closed(clerk, category="dispute.debt", title="借钱不还", days_ago=5, parties=ANON)
    closed(clerk, category="dispute.medical", title="呜呜呜", days_ago=5, parties=ANON)
    Case.objects.filter(pk=repeat.pk).update(merged_into=first, state="merged")  # a clerk's merge

    f = evaluate(test_days=90, threshold=0.5)

    assert (f.trained, f.tested) == (5, 3)  # the merged one is no longer closed
    assert f.top1 == pytest.approx(2 / 3) and f.top3 == pytest.approx(2 / 3)
    assert f.merges == 1 and f.dup_recall == 1.0
    assert 0 < f.dup_precision <= 1


def test_the_command_prints_the_figures_and_refuses_bad_options(seats):
    closed(seats["clerk"], category="dispute.debt", title="借钱不还", days_ago=200)
    out = StringIO()
    call_command("evaluate_smart", stdout=out)
    assert "top-1 准确率" in out.getvalue() and "召回率" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("evaluate_smart", "--threshold", "2")
