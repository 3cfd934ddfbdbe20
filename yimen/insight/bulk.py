"""Bulk writing on PostgreSQL: COPY rows into a table, and the bulk-load practice (secondary
indexes dropped and rebuilt once, foreign-key triggers off). Used by `generate_cases`, the rollup
rebuild and the benchmarks (bench/pg.py re-exports these). Django is imported lazily: the
benchmarks import this before Django is set up."""

import itertools
import time
from collections.abc import Iterable
from contextlib import contextmanager


def column_defaults(model) -> dict:
    """Each column's Python-side default (what Django would write), by column name."""
    from django.db.models import JSONField
    from django.utils import timezone
    from psycopg.types.json import Jsonb

    now = timezone.now()
    found = {}
    for f in model._meta.concrete_fields:
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        found[f.column] = Jsonb(value) if isinstance(f, JSONField) and value is not None else value
    return found


def copy_tuples(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows given as tuples in `columns` order into model's table (the fast path)."""
    from django.db import connection

    written = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def copy_rows(model, rows: Iterable[dict]) -> int:
    """COPY rows (dicts by column; other columns take the field's default) into model's table.
    Rows without an id take the sequence's (the first row decides for all)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    defaults = column_defaults(model)
    if model._meta.pk.column not in first:
        defaults.pop(model._meta.pk.column)
    columns = list(defaults)
    lines = ([row.get(column, defaults[column]) for column in columns] for row in itertools.chain([first], rows))
    return copy_tuples(model, columns, lines)


def write_rows(model, rows: Iterable[dict], batch: int = 2000) -> int:
    """COPY on PostgreSQL; elsewhere (SQLite) bulk_create in batches. Rows are dicts by column."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return copy_rows(model, rows)
    by_column = {f.column: f.attname for f in model._meta.concrete_fields}
    pending, written = [], 0
    for row in rows:
        pending.append(model(**{by_column[column]: value for column, value in row.items()}))
        if len(pending) >= batch:
            written += len(model.objects.bulk_create(pending))
            pending = []
    return written + len(model.objects.bulk_create(pending))


@contextmanager
def bulk_load(*models, quiet: bool = False):
    """Bulk-load practice, in one transaction: the tables' secondary indexes are dropped and
    rebuilt once afterwards, and the foreign-key triggers are off (the caller makes the rows
    consistent; needs a superuser). Sequences are moved past the loaded ids at the end."""
    from django.db import connection, transaction

    tables = [model._meta.db_table for model in models]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        started = time.perf_counter()
        yield
        copied = time.perf_counter()
        for _, definition in indexes:
            cursor.execute(definition)
        rebuilt = time.perf_counter() - copied
        if not quiet:
            print(f"  ({copied - started:.1f} s to COPY, {rebuilt:.1f} s to rebuild {len(indexes)} indexes)")
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
            cursor.execute(f"ANALYZE {table}")
