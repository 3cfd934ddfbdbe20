"""每月一题 reads, within the member's jurisdiction: a month's topics with the cases the member
may see and where they are, one topic, the volume series a project is followed by, and
`top_topics` for the annual report."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from yimen.cases.models import Case
from yimen.core.errors import Invalid
from yimen.geo.models import Region
from yimen.insight.kpis.compute import kpi_region
from yimen.insight.topics.cluster import similarity
from yimen.insight.topics.models import GovernanceProject, Topic, TopicCase
from yimen.insight.topics.services import SETTINGS, month_docs, village_of

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
SERIES_BEFORE = 3  # months shown before the topic's own, for the trend it came from
SERIES_MAX = 12
# A topic's volume re-reads months of its town's cases: kept for the day, the same figures on the
# dashboard and the topic's page (a case registered today shows tomorrow).
VOLUME_KEEP = 24 * 3600
FOLLOWED = 5


@dataclass
class TopicView:
    topic: Topic
    cases: list[Case] = field(default_factory=list)
    places: list[tuple[str, int]] = field(default_factory=list)  # (village name, cases), most first


def month_parse(value: str | None, *, today: date | None = None) -> date:
    """`YYYY-MM` → its first day; none → last month. 422 in Chinese otherwise."""
    today = today or timezone.localdate()
    if not value:
        return add_months(date(today.year, today.month, 1), -1)
    match = MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= today.year + 1:
        raise Invalid("月份有误。", errors={"month": ["请填写 YYYY-MM 格式的月份（2000 年至明年）。"]})
    return date(int(match.group(1)), int(match.group(2)), 1)


def _ancestor_paths(region: Region) -> list[str]:
    codes = region.path.strip("/").split("/")
    return ["/".join(codes[: n + 1]) + "/" for n in range(len(codes))]


def month_topics(*, member, month: date, region: str | None = None) -> tuple[Region, list[TopicView]]:
    """The topics of `month` touching the region (of the jurisdiction; 404 outside): the towns'
    topics inside it, and those of the town it lies in that hold cases inside it. Each topic
    lists only the cases the member may see there (four queries whatever the number)."""
    place = kpi_region(member=member, code=region)
    topics = list(
        Topic.objects.filter(month=month)
        .filter(Q(region_path__startswith=place.path) | Q(region_path__in=_ancestor_paths(place)))
        .select_related("project", "project__owner")
    )
    links = (
        TopicCase.objects.filter(topic__in=topics, case__in=Case.objects.visible_to(member))
        .filter(case__region_path__startswith=place.path)
        .select_related("case", "case__region")
        .order_by("case__received_at", "case_id")
    )
    views = {t.pk: TopicView(topic=t) for t in topics}
    for link in links:
        views[link.topic_id].cases.append(link.case)
    villages = dict(
        Region.objects.filter(
            code__in={village_of(c.region_path) for v in views.values() for c in v.cases}
        ).values_list("code", "name")
    )
    found = []
    for view in views.values():
        if not view.cases:
            continue
        counts = Counter(village_of(c.region_path) for c in view.cases)
        view.places = [(villages.get(code, "镇直"), n) for code, n in counts.most_common()]
        found.append(view)
    found.sort(key=lambda v: (-len(v.cases), v.topic.pk))
    return place, found


def topic_get(*, member, topic_id: int) -> Topic:
    """A topic of the member's jurisdiction (404 otherwise)."""
    found = (
        Topic.objects.filter(pk=topic_id, region_path__startswith=member.jurisdiction.path)
        .select_related("region", "project", "project__owner")
        .first()
    )
    if found is None:
        raise Http404
    return found


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def topic_volume(topic: Topic, *, today: date | None = None) -> list[tuple[date, int]]:
    """未诉先办, did it fall?: per month, the cases of the topic's town that read as the same
    problem (cosine of their words with the topic's centroid, cluster.similarity, ≥ the
    clustering threshold), from
    three months before the topic's month to this month (at most twelve). One rule for every
    month, the topic's own included, so the months compare (its count may differ from the
    topic's size, which also weighed category and village)."""
    today = today or timezone.localdate()
    current = date(today.year, today.month, 1)
    first = add_months(topic.month, -SERIES_BEFORE)
    months = []
    while first <= current and len(months) < SERIES_MAX:
        months.append(first)
        first = add_months(first, 1)
    series = []
    for month in months:
        docs = month_docs(topic.region, month)
        count = sum(similarity(d, topic.centroid) >= SETTINGS.threshold for d in docs)
        series.append((month, count))
    return series


def top_topics(region: Region | None, since: date, until: date, *, limit: int = 10) -> list[dict]:
    """The largest topics of the months from `since` to `until` in a region (None: the whole
    installation, as the public annual report), for the annual report: label, key terms, month,
    size and whether a project took it up, and its id (the leader opens it from a meeting's agenda).
    No case, no person."""
    topics = Topic.objects.filter(month__gte=since.replace(day=1), month__lte=until)
    if region is not None:
        topics = topics.filter(Q(region_path__startswith=region.path) | Q(region_path__in=_ancestor_paths(region)))
    rows = topics.select_related("project").order_by("-size", "month", "id")[:limit]
    return [
        {
            "id": t.pk,
            "label": t.label,
            "terms": t.term_words,
            "month": t.month,
            "size": t.size,
            "project": hasattr(t, "project"),
        }
        for t in rows
    ]


def volume_trend(topic: Topic, series: list[tuple[date, int]], *, today: date | None = None) -> str:
    """The series read out: the last whole month after the topic's beside the topic's own month."""
    today = today or timezone.localdate()
    current = date(today.year, today.month, 1)
    counts = dict(series)
    own = counts.get(topic.month)
    after = [(m, n) for m, n in series if topic.month < m < current]
    if own is None or not after:
        return "尚无完整的后续月份可比。"
    month, latest = after[-1]
    if latest < own:
        change = f"下降 {round((own - latest) * 100 / own)}%"
    elif latest > own:
        change = f"上升 {round((latest - own) * 100 / own) if own else 100}%"
    else:
        change = "持平"
    return f"{month.year}年{month.month}月 {latest} 件，较题目当月（{own} 件）{change}。"


def topic_volume_of_day(topic: Topic, *, today: date | None = None) -> list[tuple[date, int]]:
    """topic_volume, counted once a day (VOLUME_KEEP) for every page that shows it."""
    today = today or timezone.localdate()
    # The topic's creation time too: a rebuilt month (or a flushed database) reuses no figures.
    key = f"topic-volume:{topic.pk}:{topic.created_at.timestamp()}:{today.isoformat()}"
    return cache.get_or_set(key, lambda: topic_volume(topic, today=today), VOLUME_KEEP)


@dataclass(frozen=True)
class ProjectFollow:
    project: GovernanceProject
    series: list[tuple[date, int]]
    trend: str


def followed_projects(*, member, limit: int = FOLLOWED) -> list[ProjectFollow]:
    """未诉先办, did it fall? — the dashboard's card: the governance projects of topics in the
    member's jurisdiction, newest first, each with its topic's volume read out (volume_trend)."""
    projects = (
        GovernanceProject.objects.filter(topic__region_path__startswith=member.jurisdiction.path)
        .select_related("topic", "topic__region", "owner")
        .order_by("-created_at", "-id")[:limit]
    )
    found = []
    for project in projects:
        series = topic_volume_of_day(project.topic)
        found.append(ProjectFollow(project, series, volume_trend(project.topic, series)))
    return found
