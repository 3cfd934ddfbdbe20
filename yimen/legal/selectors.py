"""Reads of the legal app, always scoped. Who sees a legal-aid file (issue 18, 法律援助法 and
个人信息保护法: an aid file holds income, assets and often violence at home): the judicial
office's staff, the centre's seats, and the legal adviser of the case's village — nobody else,
not the village committee or its grid workers, whatever unit the case was sent to. The case
engine applies this through the extension hooks (apps.py): `hidden_legal_files` is the
exclusion, `adviser_reach` what an adviser's villages put in their hands."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yimen.cases.models import Case, Kind, TimelineEvent
from yimen.cases.selectors import case_get_visible
from yimen.core.calendar import SHANGHAI
from yimen.geo.models import Region
from yimen.legal.models import (
    Adviser,
    LegalAidFile,
    OutreachEvent,
    OutreachOrder,
    OutreachTopic,
    TrainingSession,
)
from yimen.org.models import Unit
from yimen.org.roles import Role

LEGAL_KINDS = (Kind.LEGAL_SERVICE, Kind.LEGAL_AID)
# The units whose seats see legal-aid files (the adviser, a judicial office's member, aside).
FILE_UNITS = frozenset({Unit.Kind.JUDICIAL, Unit.Kind.CENTRE})


def adviser_villages(member) -> list[str]:
    """The region paths of the villages the member serves as a legal adviser (none for others)."""
    if member.role != Role.ADVISER:
        return []
    return list(
        Region.objects.filter(legal_advisers__member=member, legal_advisers__is_active=True).values_list(
            "path", flat=True
        )
    )


def _within(paths: list[str]) -> Q:
    served = Q(pk__in=[])
    for path in paths:
        served |= Q(region_path__startswith=path)
    return served


def hidden_legal_files(member) -> Q | None:
    """The case exclusion: an adviser sees only the legal matters of the villages they serve;
    everyone else outside the judicial office and the centre never sees a legal-aid case."""
    if member.role == Role.ADVISER:
        return ~(Q(kind__in=LEGAL_KINDS) & _within(adviser_villages(member)))
    if member.unit.kind in FILE_UNITS:
        return None
    return Q(kind=Kind.LEGAL_AID)


def adviser_reach(member) -> Q | None:
    """The case reach: the legal matters of the adviser's villages are in the adviser's hands."""
    paths = adviser_villages(member)
    return Q(kind__in=LEGAL_KINDS) & _within(paths) if paths else None


def aid_get_visible(*, member, code: str) -> tuple[Case, LegalAidFile | None]:
    """A legal-aid case the member may see (404 otherwise, or for another kind) and its file."""
    case = case_get_visible(member=member, code=code)
    if case.kind != Kind.LEGAL_AID:
        raise Http404("没有这件法律援助申请。")
    return case, LegalAidFile.objects.filter(case=case).first()


def advisers_visible(member, *, region: Region | None = None) -> QuerySet[Adviser]:
    """The roster over the member's jurisdiction (an adviser serving a village in it, or the
    village a grid worker's grid lies in),
    narrowed to those serving `region`'s subtree or the village above it."""
    mine = member.jurisdiction
    rows = Adviser.objects.filter(is_active=True).filter(
        Q(villages__path__startswith=mine.path) | Q(villages__path__in=ancestors(mine))
    )
    if region is not None:
        rows = rows.filter(Q(villages__path__startswith=region.path) | Q(villages__path__in=ancestors(region)))
    return rows.distinct().prefetch_related("villages").order_by("name", "id")


def ancestors(region: Region) -> list[str]:
    """The paths above `region` (a grid's village serves the grid)."""
    parts = region.path.rstrip("/").split("/")
    return ["/".join(parts[:n]) + "/" for n in range(1, len(parts))]


@dataclass
class Clock:
    label: str
    due: datetime
    done: datetime | None
    late: bool


def clocks(aid: LegalAidFile) -> list[Clock]:
    """The statutory clocks of art. 43 as the panel and the API show them: due, done, late."""
    now = timezone.now()
    rows = [
        Clock(
            "审查决定（收到申请之日起 7 日，第四十三条）",
            aid.decide_due,
            aid.decided_at,
            aid.decided_late or (aid.decided_at is None and now > aid.decide_due),
        )
    ]
    if aid.assign_due:
        rows.append(
            Clock(
                "指派法律援助人员（决定之日起 3 日，第四十三条）",
                aid.assign_due,
                aid.assigned_at,
                aid.assigned_late or (aid.assigned_at is None and now > aid.assign_due),
            )
        )
    return rows


@dataclass
class MonthLog:
    """An adviser's monthly service log (服务台账), counted from the records, never typed."""

    adviser: Adviser
    month: date
    consultations: int  # 法律咨询 received from the villages served
    answered: int  # consultations the adviser answered (reply) this month
    notes: int  # progress and contact notes the adviser wrote on legal matters
    aid_applications: int  # 法律援助 applications from the villages served
    aid_granted: int
    trainings: int = 0  # 干部法治培训 the adviser gave
    case_talks: int = 0  # 典型案例宣讲 the adviser gave


def _month_range(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=SHANGHAI)
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, datetime(following.year, following.month, 1, tzinfo=SHANGHAI)


def adviser_month_log(*, member, adviser_id: int, month: date) -> MonthLog:
    """The log of an adviser the member may read (404 otherwise): the adviser in person, the
    judicial office and the centre, within the member's jurisdiction. Counted from the records:
    consultations and legal aid from the villages served, the adviser's answers and notes, and the
    trainings and case talks the adviser gave (issue 18 part 1)."""
    adviser = get_object_or_404(advisers_visible(member), pk=adviser_id)
    if not (adviser.member_id == member.pk or member.unit.kind in FILE_UNITS):
        raise Http404("没有这名村法律顾问。")
    start, end = _month_range(month)
    served = _within([v.path for v in adviser.villages.all()])
    received = Case.unscoped.filter(served, received_at__gte=start, received_at__lt=end)
    counts = received.aggregate(
        consultations=Count("pk", filter=Q(kind=Kind.LEGAL_SERVICE)),
        aid_applications=Count("pk", filter=Q(kind=Kind.LEGAL_AID)),
    )
    acts = {"answered": 0, "notes": 0}
    if adviser.member_id:
        events = TimelineEvent.objects.filter(
            actor_id=adviser.member.user_id, at__gte=start, at__lt=end, case__kind__in=LEGAL_KINDS
        )
        acts = events.aggregate(
            answered=Count("pk", filter=Q(action="reply")), notes=Count("pk", filter=Q(action="note"))
        )
    granted = LegalAidFile.objects.filter(
        case__in=Case.unscoped.filter(served), granted=True, decided_at__gte=start, decided_at__lt=end
    ).count()
    sessions = TrainingSession.objects.filter(speaker=adviser, held_at__gte=start, held_at__lt=end).aggregate(
        trainings=Count("pk", filter=Q(kind=TrainingSession.Kind.TRAINING)),
        case_talks=Count("pk", filter=Q(kind=TrainingSession.Kind.CASE_TALK)),
    )
    return MonthLog(adviser=adviser, month=month, aid_granted=granted, **counts, **acts, **sessions)


def outreach_menu() -> QuerySet[OutreachTopic]:
    """排餐: the talks on the menu (public: no personal data)."""
    return OutreachTopic.objects.filter(is_active=True).order_by("season", "title", "id")


def outreach_event_get(*, event_id: int) -> OutreachEvent:
    if not 0 < event_id < 2**31:
        raise Http404("没有这次送法活动。")
    return get_object_or_404(OutreachEvent, pk=event_id)


def _in_jurisdiction(member, field: str) -> Q:
    """Rows whose village lies in the member's jurisdiction, or whose village holds it (a grid
    worker's grid lies inside its village): the same reach as outreach_order_place's check."""
    mine = member.jurisdiction.path
    return Q(**{f"{field}__path__startswith": mine}) | Q(**{f"{field}__path__in": ancestors(member.jurisdiction)})


def orders_visible(member) -> QuerySet[OutreachOrder]:
    """点餐 orders of the villages in the member's jurisdiction (the village orders its own;
    the town's offices see the town's), with what the orders page shows in the same query."""
    return (
        OutreachOrder.objects.filter(_in_jurisdiction(member, "village"))
        .select_related("village", "adviser", "event")
        .order_by("-ordered_at", "-id")
    )


def order_get_visible(*, member, order_id: int) -> OutreachOrder:
    """One order the member may see (404 otherwise, also for an id out of range)."""
    if not 0 < order_id < 2**31:
        raise Http404("没有这张点单。")
    return get_object_or_404(orders_visible(member), pk=order_id)


def _one_decimal(value) -> float | None:
    """An average rating as shown: one decimal, half up (as the KPI pages round)."""
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def outreach_month_report(*, member, month: date) -> dict:
    """The month's 送法 (送餐 delivery report) over the member's jurisdiction, counted from the
    records: talks held, people reached, the residents' average rating, by topic and by village;
    orders received that month, scheduled, scheduled within the promise, delivered and
    delivered by the wanted date. A talk without a village (a town-wide one) counts for the town."""
    start, end = _month_range(month)
    events = OutreachEvent.objects.filter(at__gte=start, at__lt=end).filter(
        _in_jurisdiction(member, "village") | Q(village__isnull=True)
    )
    totals = events.aggregate(
        events=Count("pk"),
        attendance=Sum("attendance"),
        ordered_events=Count("pk", filter=Q(order__isnull=False)),
        mean_rating=Avg("rating"),
        rated=Count("rating"),
    )
    orders = OutreachOrder.objects.filter(ordered_at__gte=start, ordered_at__lt=end).filter(
        _in_jurisdiction(member, "village")
    )
    placed = orders.aggregate(
        orders=Count("pk"),
        scheduled=Count("pk", filter=Q(scheduled_at__isnull=False)),
        scheduled_on_time=Count("pk", filter=Q(scheduled_at__isnull=False, scheduled_late=False)),
        delivered=Count("pk", filter=Q(state=OutreachOrder.State.DELIVERED)),
        on_time=Count("pk", filter=Q(state=OutreachOrder.State.DELIVERED, event__at__date__lte=F("wanted_by"))),
    )
    by_topic = list(
        events.values("topic").annotate(events=Count("pk"), attendance=Sum("attendance")).order_by("-events", "topic")
    )
    by_village = list(
        events.values("village__name")
        .annotate(events=Count("pk"), attendance=Sum("attendance"), mean_rating=Avg("rating"))
        .order_by("-events", "village__name")
    )
    mean = totals.pop("mean_rating")
    return {
        "month": month.strftime("%Y-%m"),
        **totals,
        "attendance": totals["attendance"] or 0,
        "rating": _one_decimal(mean),
        **placed,
        "by_topic": [{**row, "attendance": row["attendance"] or 0} for row in by_topic],
        "by_village": [
            {
                "village": row["village__name"] or "全镇",
                "events": row["events"],
                "attendance": row["attendance"] or 0,
                "rating": _one_decimal(row["mean_rating"]),
            }
            for row in by_village
        ],
    }


def sessions_visible(member) -> QuerySet[TrainingSession]:
    """Trainings and case talks for a village of the member's jurisdiction (or the village that
    holds it), with the speaker and the villages read with the rows."""
    return (
        TrainingSession.objects.filter(
            pk__in=TrainingSession.villages.through.objects.filter(_in_jurisdiction(member, "region")).values(
                "trainingsession_id"
            )
        )
        .select_related("speaker")
        .prefetch_related("villages")
        .annotate(cases=Count("typical_cases"))
        .order_by("-held_at", "-id")
    )


def session_get_visible(*, member, session_id: int) -> TrainingSession:
    """One session the member may see (404 otherwise), with its cadres and typical cases."""
    if not 0 < session_id < 2**31:
        raise Http404("没有这次培训。")
    rows = sessions_visible(member).prefetch_related("attendees__user", "attendees__unit", "typical_cases")
    return get_object_or_404(rows, pk=session_id)
