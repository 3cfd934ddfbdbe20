"""Reads of the legal app, always scoped. Who sees a legal-aid file (issue 18, 法律援助法 and
个人信息保护法: an aid file holds income, assets and often violence at home): the judicial
office's staff, the centre's seats, and the legal adviser of the case's village — nobody else,
not the village committee or its grid workers, whatever unit the case was sent to. The case
engine applies this through the extension hooks (apps.py): `hidden_legal_files` is the
exclusion, `adviser_reach` what an adviser's villages put in their hands."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yimen.cases.models import Case, Kind, TimelineEvent
from yimen.cases.selectors import case_get_visible
from yimen.core.calendar import SHANGHAI
from yimen.geo.models import Region
from yimen.legal.models import Adviser, LegalAidFile, OutreachEvent, OutreachOrder, OutreachTopic
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


def _month_range(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=SHANGHAI)
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, datetime(following.year, following.month, 1, tzinfo=SHANGHAI)


def adviser_month_log(*, member, adviser_id: int, month: date) -> MonthLog:
    """The log of an adviser the member may read (404 otherwise): the adviser in person, the
    judicial office and the centre, within the member's jurisdiction."""
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
    return MonthLog(adviser=adviser, month=month, aid_granted=granted, **counts, **acts)


def outreach_menu() -> QuerySet[OutreachTopic]:
    """排餐: the talks on the menu (public: no personal data)."""
    return OutreachTopic.objects.filter(is_active=True).order_by("season", "title", "id")


def outreach_event_get(*, event_id: int) -> OutreachEvent:
    if not 0 < event_id < 2**31:
        raise Http404("没有这次送法活动。")
    return get_object_or_404(OutreachEvent, pk=event_id)


def outreach_month_report(*, month: date) -> dict:
    """The town's month of 送法 (送餐 delivery report): talks held, people reached, orders placed
    and of those delivered, and delivered by the wanted date — counted from the records."""
    start, end = _month_range(month)
    events = OutreachEvent.objects.filter(at__gte=start, at__lt=end).aggregate(
        events=Count("pk"), attendance=Sum("attendance"), ordered_events=Count("pk", filter=Q(order__isnull=False))
    )
    orders = OutreachOrder.objects.filter(ordered_at__gte=start, ordered_at__lt=end).aggregate(
        orders=Count("pk"),
        delivered=Count("pk", filter=Q(state=OutreachOrder.State.DELIVERED)),
        on_time=Count("pk", filter=Q(state=OutreachOrder.State.DELIVERED, event__at__date__lte=F("wanted_by"))),
    )
    return {"month": month.strftime("%Y-%m"), **events, "attendance": events["attendance"] or 0, **orders}
