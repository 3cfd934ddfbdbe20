"""The case list's search box (`q` of GET /cases and the case list page; issue 22 part 4).

`plain_search` is the rule: a full phone matches a party through the blind index only; anything
else matches a code, its tail, a source record number, a title or description word or a party's
name. Read as it stands it scans every case, so `search` first asks an index for the candidate
case ids — SQLite's FTS5 tables or PostgreSQL's trigram and bigram GIN indexes, both made and kept
by migration 0011_search_indexes — and then applies the same rule to those candidates only: the
indexes only narrow, the rule decides, so the answer is exactly the scan's. A one-character box,
or a word so common that the candidates pass ID_LIST_CAP, is answered by the plain scan.
"""

import re

from django.db import connections, router
from django.db.models import Exists, F, Lookup, OuterRef, Q

from yimen.cases.models import Case, Party
from yimen.core.crypto import blind_index
from yimen.core.identity import phone_or_empty

# A code's tail: its serial ("002129" of 450324106-2026-002129), with the year if typed
# ("2026-002129"). Four digits at least: a receipt read out over the phone gives the serial, and
# fewer digits match a large share of a year's cases (every code ending in "29"), so they are read
# as title words only.
CODE_TAIL_MIN = 4
CODE_TAIL = re.compile(rf"[\d-]*\d{{{CODE_TAIL_MIN}}}")

# Candidate case ids fetched from the indexes at most; past it the word is too common for a list
# of ids to help and the plain scan answers (correct, slower).
ID_LIST_CAP = 2000
BIGRAM, TRIGRAM = 2, 3  # the shortest box each index serves: shorter is the plain scan

# The code itself and another system's record number: their B-tree indexes.
_EXACT_SQL = (
    "SELECT id FROM cases_case WHERE code = %s "
    "UNION SELECT id FROM cases_case WHERE source_ref = %s AND NOT (source_ref = '')"
)
_SQLITE_SQL = {
    TRIGRAM: "SELECT rowid FROM case_search_tri WHERE case_search_tri MATCH %s "
    "UNION SELECT case_id FROM party_search_tri WHERE party_search_tri MATCH %s",
    BIGRAM: "SELECT rowid FROM case_search_bi WHERE case_search_bi MATCH %s "
    "UNION SELECT case_id FROM party_search_bi WHERE party_search_bi MATCH %s",
}
_POSTGRES_SQL = {
    TRIGRAM: "SELECT id FROM cases_case WHERE title LIKE %s OR description LIKE %s OR code LIKE %s "
    "UNION SELECT case_id FROM cases_party WHERE name LIKE %s",
    BIGRAM: "SELECT id FROM cases_case WHERE yimen_bigrams(title) @> ARRAY[%s]::text[] "
    "OR yimen_bigrams(description) @> ARRAY[%s]::text[] "
    "UNION SELECT case_id FROM cases_party WHERE yimen_bigrams(name) @> ARRAY[%s]::text[]",
}


def searched_phone(q: str) -> str:
    """The normal form of the phone the search box was given, or "" (a name, a title word, a code)."""
    return phone_or_empty(re.sub(r"[\s-]", "", q or ""))


def plain_search(q: str) -> Q:
    """The search box: a full phone (mobile or landline, any punctuation) matches a party through
    the blind index only — the number itself never reaches the database, nor a LIKE on titles;
    else a code, its tail (CODE_TAIL_MIN digits or more), another system's record number
    (`source_ref`, a 110 接警单号: the link back from the police record), a title or description
    word, a party's name. As it reads, a scan of every visible case."""
    phone = searched_phone(q)
    if phone:
        return Exists(Party.objects.filter(case=OuterRef("pk"), phone_index=blind_index(phone)))
    named = Party.objects.filter(case=OuterRef("pk"), name__contains=q)
    found = Q(code=q) | Q(source_ref=q) | Q(title__contains=q) | Q(description__contains=q) | Exists(named)
    if CODE_TAIL.fullmatch(q):
        found |= Q(code__endswith=q)
    return found


def search(q: str) -> Q:
    """plain_search's answer, through the indexes: the rule applied to the indexed candidates
    (one more query for their ids), or to every case when the indexes cannot narrow."""
    if searched_phone(q):
        return plain_search(q)
    ids = candidate_ids(q)
    if ids is None:
        return plain_search(q)
    if connections[router.db_for_read(Case)].vendor == "postgresql":
        return Q(_AnyOf(F("pk"), ids)) & plain_search(q)
    return Q(pk__in=ids) & plain_search(q)


class _AnyOf(Lookup):
    """`pk = ANY(%s)` with the ids as one array parameter (PostgreSQL): a list of 2,000
    placeholders costs more to send and plan than the rows it finds."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def candidate_ids(q: str) -> list[int] | None:
    """The ids of every case that plain_search(q) may match (a superset, in no scope), or None when
    the indexes cannot say: a box under two characters, a database without them, or more than
    ID_LIST_CAP candidates."""
    size = TRIGRAM if len(q) >= TRIGRAM else BIGRAM if len(q) == BIGRAM else None
    connection = connections[router.db_for_read(Case)]
    if size is None or connection.vendor not in ("sqlite", "postgresql"):
        return None
    if connection.vendor == "sqlite":
        word = _fts_phrase(q) if size == TRIGRAM else _fts_phrase(_hex_bigram(q))
        sql, params = _SQLITE_SQL[size], [word, word]
    elif size == TRIGRAM:
        pattern = f"%{_like_escape(q)}%"
        sql, params = _POSTGRES_SQL[size], [pattern] * 4
    else:
        sql, params = _POSTGRES_SQL[size], [q] * 3
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} UNION {_EXACT_SQL} LIMIT {ID_LIST_CAP + 1}", [*params, q, q])
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= ID_LIST_CAP else None


def _fts_phrase(text: str) -> str:
    """An FTS5 string: the text as one phrase, its quotes doubled, so AND, NEAR, * and ^ are text."""
    return '"' + text.replace('"', '""') + '"'


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _hex_bigram(pair: str) -> str:
    """The token the bigram tables hold for a two-character piece: the hex of its UTF-8 after
    SQLite's lower() (ASCII letters only), as migration 0011 writes them — SQLite's LIKE ignores
    ASCII case only."""
    return pair.translate(_ASCII_LOWER).encode().hex().upper()


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def match_places(cases: list[Case], q: str) -> dict[int, str]:
    """Where the search box's words were found in each listed case (issue 21: "find by what you
    know ... and show where the match is"), by case id: 当事人 with the party's name, 编码尾号, 来源编号,
    标题 or 内容. One query for the parties of the page's rows, none when the box was a phone (that
    match is always a party's phone, and the number is never echoed)."""
    q = (q or "").strip()
    if not q or not cases:
        return {}
    if searched_phone(q):
        return {case.pk: "当事人手机号" for case in cases}
    named = dict(Party.objects.filter(case__in=cases, name__contains=q).values_list("case_id", "name").order_by("id"))
    places = {}
    for case in cases:
        if case.code == q or (CODE_TAIL.fullmatch(q) and case.code.endswith(q)):
            places[case.pk] = "编码"
        elif case.source_ref == q:
            places[case.pk] = "来源编号"
        elif q in case.title:
            places[case.pk] = "标题"
        elif case.pk in named:
            places[case.pk] = f"当事人 {named[case.pk]}"
        elif q in case.description:
            places[case.pk] = "内容"
    return places
