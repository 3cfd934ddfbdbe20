"""Backup and verified restore (issue 12 item 14): the seconds `manage.py backup` and
`manage.py restore --verify` take for

1. the demo town (seed_demo: 30,000 residents, a year of cases) on SQLite, the one-PC default;
2. 1,000,000 synthetic cases on PostgreSQL (bench/synthetic.py: written once with COPY into the
   database bench_cases.py uses too, and reused).

    .venv/bin/python bench/bench_backup.py [--cases 1000000]

Each part runs in its own process: Django is set up once per process, for one database.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(label: str) -> None:
    from django.conf import settings

    from yimen.core.backup import backup_create, backup_verify

    directory = Path(settings.VAR_DIR) / "bench-backups"
    shutil.rmtree(directory, ignore_errors=True)
    started = time.perf_counter()
    backup = backup_create(directory=directory)
    made = time.perf_counter()
    report = backup_verify(backup)
    verified = time.perf_counter()
    size = backup.stat().st_size / 2**20
    print(
        f"{label}: backup {made - started:.1f} s ({size:,.0f} MB); verified restore {verified - made:.1f} s "
        f"({report.rows:,} rows in {report.tables} tables, {report.audit_checked:,} audit entries, "
        f"{report.samples} sealed fields decrypted)"
    )
    shutil.rmtree(directory)
    if not report.ok:
        sys.exit("verification failed: " + "; ".join(report.problems))


def demo_town() -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["YIMEN_VAR_DIR"] = str(HERE.parent / "var" / "bench" / "backup-demo")
    from common import setup_django

    setup_django()
    from django.core.management import call_command

    from yimen.people.models import Person

    if not Person.objects.exists():
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", stdout=quiet)
        print(f"  (demo town seeded in {time.perf_counter() - started:.0f} s)")
    measure(f"demo town on SQLite ({Person.objects.count():,} residents)")


def million(cases: int) -> None:
    from pg import use_database

    use_database("yimen_bench_cases")
    from common import demo_town as build_town
    from common import setup_django

    setup_django()
    from synthetic import synthetic_cases

    from yimen.cases.demo import build_demo_cases
    from yimen.cases.models import Case

    build_town()
    if not Case.objects.exists():
        build_demo_cases()
    synthetic_cases(cases)
    measure(f"{Case.objects.count():,} cases on PostgreSQL")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--part", choices=["demo", "million"])
    args = parser.parse_args()
    if args.part == "demo":
        demo_town()
    elif args.part == "million":
        million(args.cases)
    else:
        for part in ("demo", "million"):
            command = [sys.executable, __file__, "--part", part, "--cases", str(args.cases)]
            if subprocess.run(command, cwd=HERE).returncode != 0:  # noqa: S603
                sys.exit(f"bench_backup {part} failed")


if __name__ == "__main__":
    main()
