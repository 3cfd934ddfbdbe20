"""The indexes of the case search box (yimen/cases/search.py; issue 22 part 4), beyond Case.Meta.

They give candidate case ids for a title, description or code word and a party's name; the search
then applies its plain rule to those candidates only, so each index may match more than LIKE does
but never less.

SQLite: FTS5 tables kept by triggers on cases_case and cases_party.
- case_search_tri (title, description, code) and party_search_tri (name, case_id): the trigram
  tokenizer, a phrase of three characters or more matches inside a text (external content: the
  index only, the text stays in the tables).
- case_search_bi and party_search_bi for two characters (a Chinese name or word is often two, and
  trigrams cannot match them): each text stored as the space-separated hex of the UTF-8 of each
  of its overlapping two-character pieces after lower() (SQLite's LIKE ignores ASCII case), so the
  unicode61 tokenizer holds a piece as one whole token. The pieces come from json_each over an
  array as long as the text (a trigger may not use WITH RECURSIVE).
A later migration that makes SQLite rebuild cases_case or cases_party (Django's table remake)
drops these triggers: test_search_index checks that they are there.

PostgreSQL: pg_trgm GIN indexes on title, description, code and party name serve LIKE '%word%'
from three characters; a two-character pattern has no trigram, so an IMMUTABLE yimen_bigrams(text)
(the text's distinct two-character pieces) has GIN indexes on title, description and name, asked
with `yimen_bigrams(col) @> ARRAY[word]`.
"""

from django.db import migrations


# The statements below are built from this module's constants only (no value reaches them).
def _pieces(text: str) -> str:
    """SQL: the hex tokens of the two-character pieces of `text` (an SQL expression), distinct."""
    return (
        f"coalesce((SELECT replace(group_concat(DISTINCT hex(lower(substr({text}, key + 1, 2)))), ',', ' ') "  # noqa: S608
        f"FROM json_each('[0' || replace(hex(zeroblob(max(length({text}) - 2, 0))), '00', ',0') || ']') "
        f"WHERE length({text}) > 1), '')"
    )


def _case_grams(row: str) -> str:
    return f"{_pieces(f'{row}.title')} || ' ' || {_pieces(f'{row}.description')}"


SQLITE_TABLES = [
    "CREATE VIRTUAL TABLE case_search_tri USING fts5("
    "title, description, code, content='cases_case', content_rowid='id', tokenize='trigram')",
    "CREATE VIRTUAL TABLE party_search_tri USING fts5("
    "name, case_id UNINDEXED, content='cases_party', content_rowid='id', tokenize='trigram')",
    # contentless: only the tokens are kept (one token a line, so no positions either)
    "CREATE VIRTUAL TABLE case_search_bi USING fts5(grams, content='', detail='none', tokenize='unicode61')",
    "CREATE VIRTUAL TABLE party_search_bi USING fts5(grams, case_id UNINDEXED, detail='none', tokenize='unicode61')",
]

_CASE_OUT = (
    "INSERT INTO case_search_tri(case_search_tri, rowid, title, description, code) "  # noqa: S608
    "VALUES ('delete', old.id, old.title, old.description, old.code); "
    f"INSERT INTO case_search_bi(case_search_bi, rowid, grams) VALUES ('delete', old.id, {_case_grams('old')});"
)
_CASE_IN = (
    "INSERT INTO case_search_tri(rowid, title, description, code) VALUES (new.id, new.title, new.description, new.code); "  # noqa: S608
    f"INSERT INTO case_search_bi(rowid, grams) VALUES (new.id, {_case_grams('new')});"
)
_PARTY_OUT = (
    "INSERT INTO party_search_tri(party_search_tri, rowid, name, case_id) VALUES ('delete', old.id, old.name, old.case_id); "
    "DELETE FROM party_search_bi WHERE rowid = old.id;"
)
_PARTY_IN = (
    "INSERT INTO party_search_tri(rowid, name, case_id) VALUES (new.id, new.name, new.case_id); "  # noqa: S608
    f"INSERT INTO party_search_bi(rowid, grams, case_id) VALUES (new.id, {_pieces('new.name')}, new.case_id);"
)
SQLITE_TRIGGERS = {
    "case_search_insert": f"AFTER INSERT ON cases_case BEGIN {_CASE_IN} END",
    "case_search_delete": f"AFTER DELETE ON cases_case BEGIN {_CASE_OUT} END",
    # a step (state, version, deadlines) leaves the texts alone and the indexes untouched
    "case_search_update": "AFTER UPDATE OF title, description, code ON cases_case "
    "WHEN old.title IS NOT new.title OR old.description IS NOT new.description OR old.code IS NOT new.code "
    f"BEGIN {_CASE_OUT} {_CASE_IN} END",
    "party_search_insert": f"AFTER INSERT ON cases_party BEGIN {_PARTY_IN} END",
    "party_search_delete": f"AFTER DELETE ON cases_party BEGIN {_PARTY_OUT} END",
    "party_search_update": "AFTER UPDATE OF name, case_id ON cases_party "
    "WHEN old.name IS NOT new.name OR old.case_id IS NOT new.case_id "
    f"BEGIN {_PARTY_OUT} {_PARTY_IN} END",
}
SQLITE_BACKFILL = [
    "INSERT INTO case_search_tri(case_search_tri) VALUES ('rebuild')",
    "INSERT INTO party_search_tri(party_search_tri) VALUES ('rebuild')",
    f"INSERT INTO case_search_bi(rowid, grams) SELECT c.id, {_case_grams('c')} FROM cases_case c",  # noqa: S608
    f"INSERT INTO party_search_bi(rowid, grams, case_id) SELECT p.id, {_pieces('p.name')}, p.case_id FROM cases_party p",  # noqa: S608
]

POSTGRES_BIGRAMS = """
CREATE FUNCTION yimen_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}') FROM generate_series(1, length(t) - 1) AS i
$$
"""
# index name -> (table, indexed expression with its operator class)
POSTGRES_INDEXES = {
    "case_title_trgm": ("cases_case", "title gin_trgm_ops"),
    "case_description_trgm": ("cases_case", "description gin_trgm_ops"),
    "case_code_trgm": ("cases_case", "code gin_trgm_ops"),
    "party_name_trgm": ("cases_party", "name gin_trgm_ops"),
    "case_title_bigrams": ("cases_case", "(yimen_bigrams(title))"),
    "case_description_bigrams": ("cases_case", "(yimen_bigrams(description))"),
    "party_name_bigrams": ("cases_party", "(yimen_bigrams(name))"),
}


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_TABLES:
            schema_editor.execute(statement)
        for name, body in SQLITE_TRIGGERS.items():
            schema_editor.execute(f"CREATE TRIGGER {name} {body}")
        for statement in SQLITE_BACKFILL:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(POSTGRES_BIGRAMS)
        for name, (table, expression) in POSTGRES_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin ({expression})")


def drop_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for table in ("case_search_tri", "party_search_tri", "case_search_bi", "party_search_bi"):
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
    elif vendor == "postgresql":
        for name in POSTGRES_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        # pg_trgm stays: the registry's name search (people 0003) uses it too
        schema_editor.execute("DROP FUNCTION IF EXISTS yimen_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_source_ref_index")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
