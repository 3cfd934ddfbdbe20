"""Category and unit suggestions: the catalogue's words on a fresh installation, what the
installation's history teaches, the reasons shown, and nothing for empty text."""

import pytest

from yimen.smart import classifier, selectors, tasks
from yimen.smart.demo import build_demo
from yimen.smart.models import CategoryModel, SuggestionLog
from yimen.smart.tests.conftest import GRID, closed, register

pytestmark = pytest.mark.django_db


def test_jiabao_suggests_domestic_violence_with_the_catalogue_as_reason(seats):
    # The desk sends the kind chosen (its category list holds that kind's rows only).
    found = selectors.suggest_categories(member=seats["clerk"], title="老公喝酒后家暴", kind="dispute")
    top = found[0]
    assert top.row.name == "家庭暴力"
    assert "家暴" in top.words and "家暴" in top.catalogue_words  # 家暴 is the catalogue's spoken word
    assert len(found) <= 3
    # Across every kind the legal-aid row naming 家暴 competes, and 家庭暴力 stays in the top 3.
    anywhere = selectors.suggest_categories(member=seats["clerk"], title="老公喝酒后家暴")
    assert "家庭暴力" in [s.row.name for s in anywhere]


@pytest.mark.parametrize("text", ["", " ", "家", "？？"])
def test_empty_or_very_short_text_gets_no_suggestion(seats, text):
    assert selectors.suggest_categories(member=seats["clerk"], title=text) == []


def test_words_the_catalogue_does_not_know_suggest_nothing_rather_than_a_guess(seats):
    assert selectors.suggest_categories(member=seats["clerk"], title="ABCXYZ 呜呜呜") == []


def test_kind_narrows_the_rows(seats):
    found = selectors.suggest_categories(member=seats["clerk"], title="家暴", kind="legal_service")
    assert found and all(s.row.kind == "legal_service" for s in found)


def test_the_nightly_retrain_learns_words_the_catalogue_lacks(seats):
    clerk = seats["clerk"]
    # Nothing in the catalogue says 大樟树 or 窗户 mean 林木遮挡采光; five closed cases do.
    for i in range(5):
        closed(clerk, category="dispute.neighbour.trees", title=f"邻居的大樟树挡住窗户{i}", description="大樟树太高")
    closed(clerk, category="dispute.neighbour.noise", title="隔壁打麻将到半夜")
    before = selectors.suggest_categories(member=clerk, title="门口大樟树挡住窗户")
    assert not before or before[0].row.code != "dispute.neighbour.trees" or before[0].similar == []

    cases = tasks.retrain_nightly.call_local()

    assert cases == 6 and CategoryModel.objects.count() == 1
    after = selectors.suggest_categories(member=clerk, title="门口大樟树挡住窗户")
    assert after[0].row.code == "dispute.neighbour.trees"
    assert "樟树" in after[0].words and after[0].catalogue_words == []  # learnt, not the catalogue's
    assert [c.title[:8] for c in after[0].similar] == ["邻居的大樟树挡住", "邻居的大樟树挡住"]


def test_a_retrain_replaces_the_model_and_counts_only_closed_cases(seats):
    clerk = seats["clerk"]
    closed(clerk, category="dispute.neighbour.trees", title="大樟树挡光")
    register(clerk, title="大樟树挡光还没办完", category="dispute.neighbour.trees")  # open: not confirmed
    assert tasks.retrain_nightly.call_local() == 1
    assert tasks.retrain_nightly.call_local() == 1
    assert CategoryModel.objects.count() == 1


def test_similar_cases_shown_are_only_those_the_clerk_may_see(seats):
    theirs = closed(seats["police"], category="dispute.family.violence", title="派出所受理的家暴警情")
    mine = closed(seats["clerk"], category="dispute.family.violence", title="中心受理的家暴求助")
    tasks.retrain_nightly.call_local()

    shown = selectors.suggest_categories(member=seats["clerk"], title="家暴", kind="dispute")[0].similar
    assert [c.code for c in shown] == [mine.code]
    police_sees = selectors.suggest_categories(member=seats["police"], title="家暴", kind="dispute")[0].similar
    assert theirs.code in [c.code for c in police_sees] and mine.code not in [c.code for c in police_sees]


def test_units_follow_the_row_and_the_place_and_note_frequent_redispatch(seats):
    row = selectors.suggest_categories(member=seats["clerk"], title="家暴", kind="dispute")[0].row
    region = selectors.region_visible(member=seats["clerk"], code=GRID)
    units = selectors.suggest_units(row=row, region=region, redispatch={row.code: [4, 10]})
    # The catalogue's lead and supports for 家庭暴力, the units of the case's town and village.
    assert units.lead.kind == "police" and [u.kind for u in units.supports] == ["judicial", "village"]
    assert "10 件中有 4 件被改派" in units.note
    assert selectors.suggest_units(row=row, region=region, redispatch={row.code: [1, 10]}).note == ""


def test_registration_records_what_was_suggested_and_what_the_clerk_chose(seats, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # recorded by the queue, after commit
        case = register(seats["clerk"], title="丈夫家暴妻子", description="多次动手", category="dispute.family.divorce")
    log = SuggestionLog.objects.get(case=case)
    assert log.suggested[0] == "dispute.family.violence"
    assert log.chosen == "dispute.family.divorce"  # the clerk's choice stands, never replaced
    assert case.category.code == "dispute.family.divorce"
    assert log.rank != 1  # measured as "the first suggestion was not taken"


def test_the_demo_hook_trains_and_says_its_texts_are_generated(seats):
    closed(seats["clerk"], category="dispute.debt", title="借钱不还")
    line = build_demo()
    assert "1 件已办结案件训练" in line and "演示文本为生成数据" in line


def test_rows_below_the_floor_beside_the_first_are_not_shown(seats, monkeypatch):
    def shown():
        found = selectors.suggest_categories(
            member=seats["clerk"], title="丈夫家暴还要离婚", description="离婚财产 子女抚养 邻里 噪音", kind="dispute"
        )
        return [s.row.code for s in found]

    monkeypatch.setattr(classifier, "FLOOR", 0.0)
    everything = shown()
    assert len(everything) == 3
    # With the floor between the second row's share (about 3 %) and the third's (about 1 %),
    # the third goes and the first two stay.
    monkeypatch.setattr(classifier, "FLOOR", 0.02)
    assert shown() == everything[:2]
