"""Public legal services (issue 18): the milliseconds to count a village adviser's monthly
service log and the town's month of 送法 (the delivery report) with 100,000 consultations
(法律咨询, `legal_service` cases) on the books, a year of them, a fifth answered by the adviser.

    .venv/bin/python bench/bench_legal.py
"""

import secrets
import statistics
import time
from datetime import date, timedelta

from common import demo_town, setup_django

setup_django()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from yimen.cases.models import Case, TimelineEvent  # noqa: E402
from yimen.geo.models import Region  # noqa: E402
from yimen.legal import selectors  # noqa: E402
from yimen.legal.models import Adviser, OutreachEvent, OutreachOrder, TrainingSession  # noqa: E402
from yimen.org.models import Membership, Unit  # noqa: E402

CONSULTATIONS = 100_000
MARK = "bench-legal"  # the synthetic rows' code prefix, so a rerun replaces them


def seat(username: str) -> Membership:
    return Membership.objects.select_related("unit", "jurisdiction", "user").get(user__username=username)


def adviser_for(member: Membership, village: Region) -> Adviser:
    adviser = Adviser.objects.filter(member=member).first()
    if adviser is None:
        adviser = Adviser.objects.create(name="韦志坚", firm="广西桂全律师事务所", duty="每周二上午", member=member)
    adviser.villages.add(village)
    return adviser


def consultations(adviser: Adviser, village: Region) -> None:
    """100,000 consultations over the town's villages in the last year; the adviser's village a
    tenth of them, a fifth of those answered (a `reply` event by the adviser)."""
    Case.unscoped.filter(code__startswith=MARK).delete()
    now = timezone.now()
    villages = list(
        Region.objects.filter(level="village", path__startswith=village.path[:-13]).values_list("pk", "path")
    )
    centre = Unit.objects.get(code="450324106-centre")
    rows = []
    for n in range(CONSULTATIONS):
        region_id, path = (village.pk, village.path) if n % 10 == 0 else villages[n % len(villages)]
        received = now - timedelta(minutes=(n * 5.26) % (365 * 24 * 60))
        rows.append(
            Case(
                code=f"{MARK}-{n:07d}",
                public_token=secrets.token_urlsafe(24),
                kind="legal_service",
                title=f"法律咨询 {n}",
                channel="visit",
                region_id=region_id,
                region_path=path,
                received_at=received,
                first_unit=centre,
                state="closed",
                created_at=received,
                updated_at=received,
            )
        )
    Case.unscoped.bulk_create(rows, batch_size=5000)
    mine = Case.unscoped.filter(code__startswith=MARK, region=village).values_list("pk", "received_at")
    events = [
        TimelineEvent(case_id=pk, action="reply", actor=adviser.member.user, at=received + timedelta(days=1))
        for i, (pk, received) in enumerate(mine)
        if i % 5 == 0
    ]
    TimelineEvent.objects.bulk_create(events, batch_size=5000)


def outreach(adviser: Adviser, judicial: Membership, village: Region) -> None:
    """A year of talks and orders at ten a month, and two trainings a month by the adviser."""
    OutreachEvent.objects.filter(topic__startswith=MARK).delete()
    OutreachOrder.objects.filter(topic__startswith=MARK).delete()
    TrainingSession.objects.filter(topic__startswith=MARK).delete()
    now = timezone.now()
    for n in range(120):
        at = now - timedelta(days=n * 3)
        order = OutreachOrder.objects.create(
            village=village,
            topic=f"{MARK} 点单 {n}",
            wanted_by=(at + timedelta(days=14)).date(),
            ordered_by=judicial,
            ordered_at=at - timedelta(days=5),
            schedule_due=at + timedelta(days=2),
            state="delivered",
        )
        OutreachEvent.objects.create(
            topic=f"{MARK} 讲座 {n % 6}",
            place="村文化室",
            at=at,
            speakers=[adviser.name],
            order=order,
            village=village,
            recorded_by=judicial,
            attendance=30 + n % 20,
            rating=4 + (n % 10) / 10,
        )
    for n in range(24):
        session = TrainingSession.objects.create(
            kind="training" if n % 2 else "case_talk",
            topic=f"{MARK} 培训 {n}",
            held_at=now - timedelta(days=n * 15),
            place="村委会",
            speaker=adviser,
            attendance=15,
            recorded_by=judicial,
        )
        session.villages.add(village)


def timed(label: str, run, target_ms: int) -> None:
    run()  # warm the caches once, as a page already opened this month
    times = []
    for _ in range(7):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    print(f"{label}: median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms (target ≤ {target_ms} ms)")


def main() -> None:
    demo_town()
    village = Region.objects.get(code="450324106200")
    member, judicial = seat("adviser"), seat("judicial")
    adviser = adviser_for(member, village)
    started = time.perf_counter()
    consultations(adviser, village)
    outreach(adviser, judicial, village)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Case.unscoped.filter(kind="legal_service").count()
    seconds = time.perf_counter() - started
    print(f"{total:,} consultations on the books ({seconds:.1f} s to write them, {connection.vendor})")
    month = timezone.localdate().replace(day=1) - timedelta(days=1)
    last_month = date(month.year, month.month, 1)

    def log():
        found = selectors.adviser_month_log(member=judicial, adviser_id=adviser.pk, month=last_month)
        assert found.consultations > 0 and found.answered > 0

    def report():
        found = selectors.outreach_month_report(member=judicial, month=last_month)
        assert found["events"] > 0

    timed("adviser's monthly service log", log, 300)
    timed("town's monthly delivery report", report, 300)


if __name__ == "__main__":
    main()
