"""The indexed search box (issue 22 part 4): the index only narrows, so for every box — Chinese
two-character names, title and description words, codes and their tails, record numbers, FTS and
LIKE syntax typed as text, one character — the cases found are exactly plain_search's, in the
member's scope, also after a title is changed and a party removed."""

from importlib import import_module

import pytest
from django.db import connection

from yimen.cases import search
from yimen.cases.models import Case, Party
from yimen.cases.search import candidate_ids, plain_search
from yimen.cases.tests.conftest import OTHER_GRID, register

CASES = [
    {
        "title": "唐家叔侄宅基地边界纠纷",
        "description": "两家争执。",
        "parties": [{"name": "王伟", "role": "applicant"}],
    },
    {
        "title": "ABC公司拖欠工资",
        "description": "工人称100%未发，a_b 班组停工。",
        "parties": [{"name": "李娜", "role": "applicant"}, {"name": "欧阳明月", "role": "respondent"}],
    },
    {"title": "楼上漏水", "description": "楼上住户装修后漏水，屋顶发霉。", "source_ref": "JJD20261204001"},
    {
        "title": '他说"停工" AND 不干了',
        "description": "NEAR 工地 * 号楼",
        "parties": [{"name": "王伟东", "role": "applicant"}],
    },
    {
        "title": "山林权属争议",
        "description": "",
        "region": OTHER_GRID,
        "parties": [{"name": "王伟", "role": "applicant"}],
    },
    {"title": "噪音扰民", "description": "Ab 广场舞音响", "parties": [{"name": "Abby Lee", "role": "applicant"}]},
]
WORDS = [
    "王伟",  # a two-character name, also inside 王伟东
    "李娜",
    "欧阳",  # the first two characters of a four-character name
    "欧阳明月",
    "宅基地",  # a title word
    "边界",  # a two-character title word
    "漏水",  # title and description
    "楼上住户",  # a description word
    "发霉",
    "JJD20261204001",  # a record number
    "JJD2026",  # part of a record number: not a match
    "abc",  # ASCII case (SQLite's LIKE ignores it, PostgreSQL's does not)
    "Ab",
    "ab",
    "by Lee",
    '"停工"',
    '停工"',
    "100%",
    "0%未",
    "a_b",
    "_b",
    "AND",
    "AND 不干",
    "NEAR",
    "* 号",
    "OR 王",
    "^王伟",
    "王",  # one character: the plain scan
    "%",
    "不存在的词",
]


@pytest.fixture
def cases(seats):
    return [register(seats["clerk"], **fields) for fields in CASES]


def found(member, q: str, rule) -> set[int]:
    return set(Case.objects.visible_to(member).filter(rule(q)).values_list("pk", flat=True))


def differences(seats, words) -> dict:
    return {
        (who, q): (found(seats[who], q, search.search), found(seats[who], q, plain_search))
        for who in ("dispatcher", "gridchief")
        for q in words
        if found(seats[who], q, search.search) != found(seats[who], q, plain_search)
    }


def test_the_indexed_search_finds_exactly_what_the_scan_finds(seats, cases):
    codes = [cases[0].code, cases[2].code[-6:], cases[2].code[-11:], cases[3].code[-3:], cases[3].code[-4:]]
    assert differences(seats, WORDS + codes) == {}
    assert found(seats["dispatcher"], "王伟", search.search) == {cases[0].pk, cases[3].pk, cases[4].pk}
    assert found(seats["gridchief"], "王伟", search.search) == {cases[0].pk, cases[3].pk}  # 才湾村 only
    assert found(seats["dispatcher"], cases[2].code[-6:], search.search) == {cases[2].pk}
    assert found(seats["dispatcher"], "JJD20261204001", search.search) == {cases[2].pk}


@pytest.mark.parametrize("q", [w for w in WORDS if len(w) >= 2])
def test_two_characters_or_more_are_answered_from_the_index(cases, q):
    ids = candidate_ids(q)
    assert ids is not None
    assert set(Case.unscoped.filter(plain_search(q)).values_list("pk", flat=True)) <= set(ids)


def test_one_character_is_the_plain_scan(cases):
    assert candidate_ids("王") is None


def test_a_changed_title_and_a_removed_party_are_found_as_they_now_are(seats, cases):
    Case.unscoped.filter(pk=cases[0].pk).update(title="果园灌溉用水纠纷")
    Party.objects.filter(name="李娜").delete()
    Party.objects.filter(name="欧阳明月").update(name="欧阳晓")
    words = ["宅基地", "边界", "灌溉用水", "灌溉", "李娜", "欧阳明月", "明月", "欧阳晓", "阳晓", "欧阳"]
    assert differences(seats, words) == {}
    assert found(seats["dispatcher"], "灌溉", search.search) == {cases[0].pk}
    assert found(seats["dispatcher"], "边界", search.search) == set()
    assert found(seats["dispatcher"], "李娜", search.search) == set()
    assert found(seats["dispatcher"], "阳晓", search.search) == {cases[1].pk}
    Case.unscoped.filter(pk=cases[3].pk).delete()
    assert found(seats["dispatcher"], "王伟", search.search) == {cases[0].pk, cases[4].pk}


def test_a_common_word_past_the_cap_falls_back_to_the_scan(seats, cases, monkeypatch):
    monkeypatch.setattr(search, "ID_LIST_CAP", 1)
    assert candidate_ids("王伟") is None
    assert differences(seats, ["王伟", "楼上"]) == {}


def test_the_index_machinery_survives_the_later_migrations(db):
    """Django rebuilds a SQLite table to alter it, which drops its triggers: a migration that does
    so to cases_case or cases_party must create them again. On PostgreSQL the GIN indexes stay
    with their columns; a migration that drops or retypes one must make its index again."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%search%'")
            expected = {
                f"{table}_search_{event}" for table in ("case", "party") for event in ("insert", "update", "delete")
            }
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename IN ('cases_case', 'cases_party')")
            expected = set(import_module("yimen.cases.migrations.0011_search_indexes").POSTGRES_INDEXES)
        names = {row[0] for row in cursor.fetchall()}
    assert expected and expected <= names
