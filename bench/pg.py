"""PostgreSQL for the benchmarks that need scale: a throwaway UTF-8 database per benchmark, bulk
loading with COPY, and timing with medians and p95. Import this before Django is set up:

    from pg import use_database
    use_database("yimen_bench")          # sets DATABASE_URL unless it already names PostgreSQL
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# COPY and the bulk-load practice live with `manage.py generate_cases`, which uses them too.
from yimen.insight.bulk import bulk_load, copy_rows  # noqa: F401

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
