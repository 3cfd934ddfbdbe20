"""积分制 at scale (issue 16): a household's balance with 10,000 ledger entries (kept with each
entry, one row read; checked against the sum) ≤ 5 ms, and the monthly 红黑榜 over a county's
200,000 households ≤ 200 ms. The worst case is taken: every household's entries of the month in
the one village whose board is read. Rows are written once with INSERT … SELECT generate_series
on PostgreSQL (database yimen_bench_points, or $DATABASE_URL) and reused by later runs."""

from pg import timed, use_database

use_database("yimen_bench_points")

from common import demo_town, setup_django  # noqa: E402

setup_django()

import datetime as dt  # noqa: E402

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from yimen.geo.models import Region  # noqa: E402
from yimen.org.models import Membership  # noqa: E402
from yimen.people.models import Household  # noqa: E402
from yimen.points import selectors  # noqa: E402
from yimen.points.api import month_bounds  # noqa: E402
from yimen.points.models import Balance, Consent, Entry  # noqa: E402

HOUSEHOLDS = 200_000
ENTRIES = 10_000
MARK = "积分压测"


def month_start() -> dt.datetime:
    """The board's month: the last whole month, in local time."""
    first = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return dt.datetime.combine(first.replace(day=1), dt.time(), timezone.get_current_timezone())


def load() -> tuple[Household, Region]:
    if not Region.objects.filter(code="450324106200").exists():
        demo_town()
    village = Region.objects.get(code="450324106200")
    micro = Region.objects.filter(path__startswith=village.path, level=Region.Level.MICROGRID).first()
    seat = Membership.objects.get(user__username="village", is_active=True)
    now = timezone.now()
    month = month_start()
    if not Household.objects.filter(address__startswith=MARK).exists():
        with transaction.atomic(), connection.cursor() as c:
            c.execute(
                "INSERT INTO people_household (region_id, address, version, created_at, updated_at) "
                "SELECT %s, %s || g, 1, %s, %s FROM generate_series(1, %s) g",
                [micro.pk, MARK, now, now, HOUSEHOLDS],
            )
            c.execute(
                "INSERT INTO points_entry (household_id, village_id, at, kind, category, rule_code, label, points,"
                " balance_after, reason, by_id) SELECT h.id, %s, %s + (h.id %% 20) * interval '1 day', 'award',"
                " CASE WHEN h.id %% 10 = 0 THEN 'sanitation' ELSE 'virtue' END, '',"
                " CASE WHEN h.id %% 10 = 0 THEN '乱倒垃圾、污水' ELSE '参加志愿服务（每次）' END,"
                " CASE WHEN h.id %% 10 = 0 THEN -3 ELSE 2 + h.id %% 7 END, 0, '', %s"
                " FROM people_household h WHERE h.address LIKE %s",
                [village.pk, month, seat.pk, f"{MARK}%"],
            )
            c.execute(  # the monthly tally the services keep with each entry
                "INSERT INTO points_monthtally (village_id, household_id, month, points)"
                " SELECT village_id, household_id, %s, SUM(points) FROM points_entry GROUP BY village_id, household_id",
                [month.date()],
            )
            c.execute(
                "INSERT INTO points_consent (household_id, given_at, recorded_by_id) SELECT id, %s, %s"
                " FROM people_household WHERE address LIKE %s AND id %% 2 = 0",
                [now, seat.pk, f"{MARK}%"],
            )
            heavy = Household.objects.filter(address=f"{MARK}1").values_list("pk", flat=True).get()
            c.execute(
                "INSERT INTO points_entry (household_id, village_id, at, kind, category, rule_code, label, points,"
                " balance_after, reason, by_id) SELECT %s, %s, %s - g * interval '1 hour', 'award', 'virtue', '',"
                " '志愿服务', 1, g, '', %s FROM generate_series(1, %s) g",
                [heavy, village.pk, now, seat.pk, ENTRIES],  # its own history, before the board's month
            )
            total = Entry.objects.filter(household_id=heavy).values_list("points", flat=True)
            Balance.objects.update_or_create(household_id=heavy, defaults={"balance": sum(total)})
        with connection.cursor() as c:  # the visibility map lets the board read the index alone
            c.execute("VACUUM ANALYZE points_entry")
            c.execute("VACUUM ANALYZE points_consent")
            c.execute("VACUUM ANALYZE points_monthtally")
            c.execute("ANALYZE people_household")
    return Household.objects.get(address=f"{MARK}1"), village


def main() -> None:
    household, village = load()
    print(
        f"households {Household.objects.count():,}, entries {Entry.objects.count():,}, consents "
        f"{Consent.objects.count():,}"
    )
    assert selectors.balance_of(household) == selectors.ledger_sum(household), "kept balance ≠ ledger sum"
    timed("balance of a household with 10,000 entries", 5, range(200), lambda _: selectors.balance_of(household))
    timed("ledger sum (the check) for the same household", None, range(20), lambda _: selectors.ledger_sum(household))
    since, until = month_bounds(month_start().strftime("%Y-%m"))
    board = selectors.board(village, since, until)
    assert board["red"] and board["black"]
    timed(
        "monthly 红黑榜, 200,000 households in the village",
        200,
        range(15),
        lambda _: selectors.board(village, since, until),
    )


main()
