"""PostgreSQL for the benchmarks that need scale: a throwaway UTF-8 database per benchmark, bulk
loading with COPY, and timing with medians and p95. Import this before Django is set up:

    from pg import use_database
    use_database("yimen_bench")          # sets DATABASE_URL unless it already names PostgreSQL
"""

import os
import statistics
import sys
import time
from contextlib import contextmanager

SERVER = "postgres://postgres@127.0.0.1:5432"


def use_database(name: str) -> str:
    """Point DATABASE_URL at PostgreSQL: $DATABASE_URL when it already does, else database `name`
    on the local server, created from template0 in UTF-8 (pg_trgm extracts nothing from Chinese
    under an ASCII encoding)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        import psycopg

        try:
            conn = psycopg.connect(f"{SERVER}/postgres", autocommit=True)
        except psycopg.OperationalError as exc:
            sys.exit(f"this benchmark needs PostgreSQL: set DATABASE_URL or start it on {SERVER} ({exc})")
        with conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                try:
                    conn.execute(
                        f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                    )
                except psycopg.errors.InvalidParameterValue:  # no C.UTF-8 locale: the server's own
                    conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
        url = f"{SERVER}/{name}"
    os.environ["DATABASE_URL"] = url
    return url


def _defaults(model) -> dict:
    from django.utils import timezone

    now = timezone.now()
    return {
        f.column: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        for f in model._meta.concrete_fields
    }


def copy_rows(model, rows) -> None:
    """COPY rows (dicts by column; other columns take the field's default) into model's table."""
    from django.db import connection

    defaults = _defaults(model)
    columns = list(defaults)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row.get(column, defaults[column]) for column in columns])


@contextmanager
def bulk_load(*models):
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
        print(f"  ({copied - started:.1f} s to COPY, {rebuilt:.1f} s to rebuild {len(indexes)} indexes)")
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
            cursor.execute(f"ANALYZE {table}")


def timed(label: str, target_ms: float | None, samples: list, run) -> list[float]:
    """Run `run(sample)` for each sample; print the median and p95 in ms (with the target)."""
    times = []
    for sample in samples:
        started = time.perf_counter()
        run(sample)
        times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    goal = f" (target ≤ {target_ms:g} ms)" if target_ms else ""
    print(f"{label}: median {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms over {len(ordered)} runs{goal}")
    return times
