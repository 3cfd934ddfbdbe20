"""Case engine at scale (issue 5), on PostgreSQL, in one run:

1. case create through the service (code, parties, deadlines, risk rules, timeline, audit and
   idempotency key) as a ratio to bare Django inserts of the same rows (target ≥ 0.7), and to
   a bare insert of the case row alone, for scale;
2. a unit's inbox (the police station's 待签收 first page, the page's bucket counts, and the
   whole /cases/ page) with 1,000,000 cases in the table (target p95 ≤ 50 ms);
3. the case page (/cases/{code}/) of a case with 20 timeline events, and of a busy one with 5
   assignments, 2 whistles and 40 notes (target p95 ≤ 60 ms);
4. the inbox of 2. for a village committee too (才湾村委会, issue 14; a realistic share of the leads,
   bench/synthetic.py);
5. the case list's search box (issue 22 part 4; target p95 ≤ 30 ms at 1,000,000 cases): a title
   word, a two-character party name and a code's tail, each as GET /cases?q= asks it (the first
   page and its capped count), beside the plain scan it replaces and a word too common for the
   index (the scan answers it);
6. the dispatcher's first page of every visible case (issue 22 part 3; target p95 ≤ 25 ms at
   1,000,000 cases): GET /api/v1/cases and the /cases/ page, as served to a signed-in client.

    .venv/bin/python bench/bench_cases.py [--cases 1000000] [--creates 300] [--only search|list]

Uses $DATABASE_URL when it names PostgreSQL, else the database yimen_bench_cases on the local
server. The synthetic cases are written once with COPY and reused by later runs of the same size.
"""

import argparse
import itertools
import os
import random
import secrets
import uuid

from pg import timed, use_database

use_database("yimen_bench_cases")
# Measured as a county deploys it: PostgreSQL, and Redis for the cache and the task queue.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from common import demo_town, setup_django, signed_in  # noqa: E402

setup_django()

from huey.contrib.djhuey import HUEY  # noqa: E402
from synthetic import SYNTHETIC, synthetic_cases  # noqa: E402  (it reads the models: after set-up)

# As in production, the steps' follow-up work (the dashboard's rollup refresh) is queued for the
# task consumer, not run inside the request: the test settings run tasks inline.
HUEY.immediate = False

from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from pg import bulk_load, copy_rows  # noqa: E402

from yimen.cases import search, selectors, services  # noqa: E402
from yimen.cases.demo import build_demo_cases  # noqa: E402
from yimen.cases.models import Assignment, Case, CaseCounter, Party, TimelineEvent  # noqa: E402
from yimen.core.models import AuditEntry, IdempotencyKey  # noqa: E402
from yimen.org.models import Membership  # noqa: E402


def seat(username: str) -> Membership:
    return Membership.objects.select_related("unit", "jurisdiction", "user").get(user__username=username)


def intake_fields(n: int) -> dict:
    return {
        "kind": "dispute",
        "title": f"宅基地边界纠纷（压测 {n}）",
        "description": "两户因宅基地边界发生争执，请求调解。",
        "channel": "visit",
        "region": "45032410620001",
        "category": "dispute.land.boundary",
        "parties": [
            {"name": "唐建国", "role": "applicant", "phone": f"139{n:08d}"},
            {"name": "唐明华", "role": "respondent"},
        ],
    }


def create_ratio(clerk: Membership, creates: int) -> None:
    """The service's price: the same rows (case, parties, timeline event, idempotency key, the
    code counter and the audit entry) written by bare ORM statements in one transaction each."""
    for n in range(20):  # warm the catalogue, the calendar and the connection
        services.case_register(actor=clerk, idempotency_key=str(uuid.uuid4()), **intake_fields(n))
    made = []

    def through_service(n: int) -> None:
        made.append(services.case_register(actor=clerk, idempotency_key=str(uuid.uuid4()), **intake_fields(n)).case)

    service_ms = timed("case create through the service", None, range(creates), through_service)
    parties = list(Party.objects.filter(case=made[0]).values())
    template = Case.objects.filter(pk=made[0].pk).values().get()
    event = TimelineEvent.objects.filter(case=made[0]).values().get()
    audit = AuditEntry.objects.filter(target=f"case:{made[0].code}").values().get()
    counter = CaseCounter.objects.get(prefix="450324106", year=made[0].received_at.year)
    top = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    seqs = itertools.count(top + 1_000_000)  # bench-only entries past the chain, removed below

    def row(n: int) -> dict:
        fields = {k: v for k, v in template.items() if k != "id"}
        return fields | {"code": f"BARE-{uuid.uuid4().hex[:20]}", "public_token": secrets.token_urlsafe(32)}

    def same_rows(n: int) -> None:
        with transaction.atomic():
            case = Case.objects.create(**row(n))
            Party.objects.bulk_create(Party(**{**p, "id": None, "case_id": case.pk}) for p in parties)
            TimelineEvent.objects.create(**{**event, "id": None, "case_id": case.pk})
            IdempotencyKey.objects.create(
                user=clerk.user, key=str(uuid.uuid4()), scope="cases.case", request_hash="0" * 64, object_id=case.pk
            )
            CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
            AuditEntry.objects.create(**{**audit, "id": None, "seq": next(seqs)})

    bare_ms = timed("the same rows by bare ORM inserts", None, range(creates), same_rows)
    row_ms = timed("the case row alone by a bare insert", None, range(creates), lambda n: Case.objects.create(**row(n)))
    service = sum(service_ms) / len(service_ms)
    print(
        f"create ratio (bare inserts of the same rows ÷ service, per case): {sum(bare_ms) / len(bare_ms) / service:.2f}"
        f" (target ≥ 0.7); against the case row alone: {sum(row_ms) / len(row_ms) / service:.2f}"
    )
    Case.objects.filter(code__startswith="BARE-").delete()
    AuditEntry.objects.filter(seq__gte=top + 1_000_000).delete()


def unit_inbox(member: Membership, who: str) -> None:
    """A unit's 待签收 first page, its bucket counts and its whole /cases/ page."""
    client = signed_in(member.user)
    for _ in range(5):
        assert client.get("/cases/").status_code == 200
    runs = range(200)
    timed(
        f"{who} inbox 待签收, first page of 20 (the query)",
        50,
        runs,
        lambda _: list(selectors.unit_inbox(member=member, bucket="pending")[:20]),
    )
    timed("  the five bucket counts (one query)", None, runs, lambda _: selectors.unit_inbox_counts(member=member))
    timed(f"  the whole /cases/ page ({who}, logged in)", 50, runs, lambda _: client.get("/cases/"))


def inbox(police: Membership) -> None:
    unit_inbox(police, "police")
    # 才湾村委会 (issue 14): the village committee's seat; the grid chief's until the village has
    # a handler seat of its own.
    unit_inbox(seat("gridchief"), "village committee 才湾村委会")
    dispatcher = seat("dispatcher")
    timed(
        "centre list 全部可见, first page with its count (capped at 10,000), as GET /cases (dispatcher)",
        None,
        range(20),
        lambda _: selectors.case_page(member=dispatcher, page_size=20),
    )
    client = signed_in(dispatcher.user)
    timed(
        "  the whole /cases/ page (dispatcher: worklist counts, all visible, count capped)",
        None,
        range(50),
        lambda _: client.get("/cases/"),
    )


def dispatcher_lists() -> None:
    """The dispatcher's first page of every visible case (the town's whole table): GET
    /api/v1/cases (50 rows and the capped count) and the /cases/ page (20 rows, the worklist
    counts, the tabs' counts), through the test client with the middleware and templates."""
    from yimen.org.services import token_issue

    dispatcher = seat("dispatcher")
    token, _ = token_issue(member=dispatcher, ip="127.0.0.1", second_factor=True)
    client = signed_in(dispatcher.user)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for _ in range(5):  # warm the templates, the catalogue and the connection
        assert client.get("/api/v1/cases", **bearer).status_code == 200
        assert client.get("/cases/").status_code == 200
    print(f"the dispatcher's lists at {Case.objects.count():,} cases (PostgreSQL; target p95 ≤ 25 ms at 1,000,000)")
    runs = range(100)
    timed("  GET /api/v1/cases first page (dispatcher)", 25, runs, lambda _: client.get("/api/v1/cases", **bearer))
    timed("  /cases/ first page (dispatcher)", 25, runs, lambda _: client.get("/cases/"))


def detail_with_twenty_events(clerk: Membership) -> None:
    dispatcher, police, supervisor = seat("dispatcher"), seat("police"), seat("supervisor")
    case = services.case_register(actor=clerk, **intake_fields(99_999_999)).case
    case = services.case_accept(case=case, actor=clerk, version=case.version)
    case = services.case_dispatch(
        case=case,
        actor=dispatcher,
        version=case.version,
        lead_unit="450324106-police",
        support_units=["450324106-judicial"],
    )
    case = services.case_sign(case=case, actor=police, version=case.version)
    steps = [services.case_urge, services.case_supervise]
    while case.events.count() < 20:
        case = steps[case.events.count() % 2](
            case=case, actor=supervisor, version=case.version, reason_type="overdue", note="请加快办理"
        )
    client = signed_in(police.user)
    url = f"/cases/{case.code}/"
    assert client.get(url).status_code == 200
    timed(
        f"case page with {case.events.count()} timeline events (police, logged in)",
        None,
        range(200),
        lambda _: client.get(url),
    )


def busy_case_page(clerk: Membership) -> None:
    """The case page of a busy case (issue 14): 5 assignments, 2 whistles (吹哨报到) and 40
    progress notes. The notes are written as the `note` step's timeline events would be."""
    dispatcher, police, zhengfa = seat("dispatcher"), seat("police"), seat("zhengfa")
    town = "450324106"
    case = services.case_register(actor=clerk, **intake_fields(99_999_998)).case
    case = services.case_accept(case=case, actor=clerk, version=case.version)
    supports = [f"{town}-judicial", f"{town}-court", f"{town}-women", f"{town}200-village"]
    case = services.case_dispatch(
        case=case, actor=dispatcher, version=case.version, lead_unit=f"{town}-police", support_units=supports
    )
    case = services.case_sign(case=case, actor=police, version=case.version)
    for place in ("唐家老屋前", "才湾村村委会调解室"):
        whistle = services.whistle_blow(
            case=case,
            actor=zhengfa,
            units=[f"{town}-police", f"{town}-judicial", f"{town}200-village"],
            place=place,
            reason="双方再起冲突，请到场处置",
            arrive_within_minutes=30,
        )
        services.whistle_arrive(whistle=whistle, actor=police)
    contact = {"party": "唐建国", "channel": "phone", "result": "已电话联系，当事人同意调解"}
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            case=case,
            actor=police.user,
            actor_name=police.user.name,
            unit=police.unit,
            action="note",
            from_state=case.state,
            to_state=case.state,
            note=f"第 {n + 1} 次回访当事人，了解界桩情况。",
            data={"contact": contact},
        )
        for n in range(40)
    )
    client = signed_in(police.user)
    url = f"/cases/{case.code}/"
    assert client.get(url).status_code == 200
    timed(
        f"case page with 5 assignments, 2 whistles, {case.events.count()} events of which 40 notes (police)",
        60,
        range(200),
        lambda _: client.get(url),
    )


# Party names of the synthetic cases: a surname and one or two given characters, so a two-character
# name (覃英) is a whole name in some cases and inside a three-character one (覃英华) in others.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢覃"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力斌宇浩凯鹏飞云亮林波宁欣怡晨阳"
RARE_TITLE = "灌溉水渠被堵引发纠纷"  # one synthetic case in 5,000 (the others: 合成案件 <id>)
ROLES = ("applicant", "respondent")


def search_corpus() -> None:
    """Two parties for each synthetic case (written once, with COPY) and the rare title."""
    synthetic = Case.objects.filter(code__contains=f"-{SYNTHETIC}")
    if not Party.objects.filter(case__code__contains=f"-{SYNTHETIC}").exists():
        rng = random.Random(5)

        def name() -> str:
            return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))

        ids = list(synthetic.values_list("pk", flat=True).order_by("pk"))
        with bulk_load(Party):
            copy_rows(Party, ({"case_id": pk, "name": name(), "role": role} for pk in ids for role in ROLES))
    ids = synthetic.order_by("pk").values_list("pk", flat=True)
    synthetic.filter(pk__in=range(ids.first(), ids.last() + 1, 5000)).update(title=RARE_TITLE)


def search_box(count: int) -> None:
    """GET /cases?q= as the dispatcher (all the town's cases visible): the first page of 20 and
    its capped count, through the indexes and, for comparison, through the plain scan."""
    search_corpus()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Case._meta.db_table}, {Party._meta.db_table}")
    dispatcher = seat("dispatcher")
    tail = Case.objects.filter(code__contains=f"-{SYNTHETIC}").order_by("pk").values_list("code", flat=True)
    code = tail[count // 2 : count // 2 + 1].get()
    words = {  # label -> (box, target ms)
        f"a title word ({RARE_TITLE[:4]})": (RARE_TITLE[:4], 30),
        "a two-character party name (覃英)": ("覃英", 30),
        f"a code's tail ({code[-6:]})": (code[-6:], 30),
        "a word in every synthetic title (合成案件: past the cap, the scan)": ("合成案件", None),
    }
    print(
        f"search box at {Case.objects.count():,} cases, {Party.objects.count():,} parties (PostgreSQL;"
        " target p95 ≤ 30 ms at 1,000,000 cases)"
    )
    for label, (q, target) in words.items():
        filters = selectors.CaseFilters(q=q)
        found, _, _ = selectors.case_page(member=dispatcher, filters=filters, page_size=20)
        timed(
            f"  {label}: {found:,} found",
            target,
            range(50),
            lambda _, f=filters: selectors.case_page(member=dispatcher, filters=f, page_size=20),
        )
    plain = (
        Case.objects.visible_to(dispatcher).filter(search.plain_search(RARE_TITLE[:4])).order_by("-received_at", "-id")
    )
    timed(
        f"  the plain scan of {RARE_TITLE[:4]} (before the indexes), its first page",
        None,
        range(5),
        lambda _: list(plain[:20]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument("--only", choices=["search", "list"], help="run this measure alone")
    args = parser.parse_args()
    demo_town()
    if not Case.objects.exists():
        build_demo_cases()  # the real catalogue, risk rules and a year of demo cases
    clerk = seat("clerk")
    if args.only == "search":
        synthetic_cases(args.cases)
        search_box(args.cases)
        return
    if args.only == "list":
        synthetic_cases(args.cases)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Case._meta.db_table}, {Assignment._meta.db_table}")
        dispatcher_lists()
        return
    create_ratio(clerk, args.creates)
    synthetic_cases(args.cases)
    with connection.cursor() as cursor:  # what autovacuum keeps current in production
        cursor.execute(f"VACUUM ANALYZE {Case._meta.db_table}, {Assignment._meta.db_table}")
    police = seat("police")
    waiting = Assignment.objects.filter(unit=police.unit, state="pending").count()
    print(f"cases: {Case.objects.count():,} in all; the police station has {waiting:,} waiting to sign (PostgreSQL)")
    inbox(police)
    detail_with_twenty_events(clerk)
    busy_case_page(clerk)
    search_box(args.cases)
    dispatcher_lists()
    HUEY.flush()  # the queued refreshes are not the benchmark's business


if __name__ == "__main__":
    main()
