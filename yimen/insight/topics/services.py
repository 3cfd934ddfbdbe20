"""每月一题 verbs: building a month's topics of a town (the monthly task and the command), and a
leader turning a topic into a governance project (未诉先办)."""

import re
from collections import Counter
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from yimen.cases.models import Case, Party
from yimen.core.calendar import day_start
from yimen.core.errors import Conflict, Invalid, NotFound
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.geo.models import Region
from yimen.insight.topics.cluster import Cluster, Doc, Settings, cluster
from yimen.insight.topics.models import GovernanceProject, Topic, TopicCase
from yimen.insight.topics.text import terms
from yimen.org.models import Membership, Unit
from yimen.org.services import audit_as

SETTINGS = Settings()
CENTROID_WORDS = 40  # the words of a topic's centroid kept to recognise its later cases
VILLAGE_CODE = 12  # 统计用区划代码: a village (村/社区) committee's code has 12 digits
ONE_PLACE = 0.6  # a topic is "in" a village when this share of its cases is there
MILESTONE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(.+)$")


def month_bounds(month: date) -> tuple[date, date]:
    """The first day of `month` and of the month after it."""
    first = month.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def village_of(path: str) -> str:
    """The village a region path lies in ("" above village level: a town's own cases)."""
    return next((code for code in path.split("/") if len(code) == VILLAGE_CODE), "")


def place_words(region: Region) -> frozenset[str]:
    """Every part (two characters or more) of the names of a region's villages and grids: the
    village is a feature of its own, so a word of a place name ("紫岭" of 紫岭村) is no topic
    word. A set of parts, so that each word is one lookup however many places there are."""
    levels = (Region.Level.VILLAGE, Region.Level.GRID)
    names = Region.objects.filter(path__startswith=region.path, level__in=levels).values_list("name", flat=True)
    return name_parts(names)


def name_parts(names) -> frozenset[str]:
    """Every part of two characters or more of each name."""
    return frozenset(n[i:j] for n in names for i in range(len(n)) for j in range(i + 2, len(n) + 1))


def case_doc(
    case_id: int, title: str, description: str, category_id: int | None, path: str, places: frozenset[str] = frozenset()
) -> Doc:
    words = [t for t in terms(f"{title} {description}") if t not in places]
    return Doc(key=case_id, terms=words, category=category_id, place=village_of(path))


def month_docs(region: Region, month: date) -> list[Doc]:
    """The month's cases received in the region (merged duplicates left out: the case they were
    merged into stands for them), as documents to cluster."""
    first, following = month_bounds(month)
    cases = Case.unscoped.filter(
        region_path__startswith=region.path, received_at__gte=day_start(first), received_at__lt=day_start(following)
    ).exclude(state=Case.State.MERGED)
    rows = cases.order_by("id").values_list("id", "title", "description", "category_id", "region_path")
    places = place_words(region)
    # The parties' names too: the tagger takes a given name it does not know ("国军") for a word.
    names: dict[int, list[str]] = {}
    for case_id, name in Party.objects.filter(case__in=cases).values_list("case_id", "name").iterator(chunk_size=5000):
        names.setdefault(case_id, []).append(name)
    docs = []
    for row in rows.iterator(chunk_size=5000):
        parties = names.get(row[0])
        docs.append(case_doc(*row, places=places | name_parts(parties) if parties else places))
    return docs


def _label(found: Cluster, villages: Counter, names: dict[str, str]) -> str:
    words = "、".join(term for term, _ in found.terms[:3])
    place, count = villages.most_common(1)[0] if villages else ("", 0)
    where = names.get(place, "") if count >= ONE_PLACE * len(found.keys) else "多村"
    return f"{words}（{where}）" if where else words


@transaction.atomic
def topics_build(*, region: Region, month: date, settings: Settings = SETTINGS) -> list[Topic]:
    """每月一题: cluster the month's cases of a town into topics (issue 20 part 1, after Beijing's
    接诉即办 每月一题). Idempotent: a rebuild replaces the month's topics, except those a leader
    already made a project of — they stand, and a new cluster that is mostly their cases is not
    added again."""
    first, _ = month_bounds(month)
    docs = month_docs(region, first)
    by_key = {d.key: d for d in docs}
    kept = Topic.objects.filter(region=region, month=first, project__isnull=False)
    taken = set(TopicCase.objects.filter(topic__in=kept).values_list("case_id", flat=True))
    Topic.objects.filter(region=region, month=first, project__isnull=True).delete()
    found = [c for c in cluster(docs, settings) if sum(k in taken for k in c.keys) * 2 <= len(c.keys)]
    names = dict(
        Region.objects.filter(path__startswith=region.path, level=Region.Level.VILLAGE).values_list("code", "name")
    )
    topics = []
    for c in found:
        villages = Counter(by_key[k].place for k in c.keys if by_key[k].place)
        words = sorted(c.centroid.items(), key=lambda kv: -kv[1])[:CENTROID_WORDS]
        topics.append(
            Topic(
                region=region,
                region_path=region.path,
                month=first,
                label=_label(c, villages, names)[:100],
                terms=[[t, round(w, 4)] for t, w in c.terms],
                centroid={t: round(w, 4) for t, w in words},
                size=len(c.keys),
            )
        )
    Topic.objects.bulk_create(topics, batch_size=500)
    TopicCase.objects.bulk_create(
        [TopicCase(topic=t, case_id=k) for t, c in zip(topics, found, strict=True) for k in c.keys], batch_size=5000
    )
    return topics


def topics_build_all(*, month: date, level: str = Region.Level.TOWN) -> int:
    """The monthly run: every town's topics for `month`; the number of topics written."""
    return sum(len(topics_build(region=r, month=month)) for r in Region.objects.filter(level=level).order_by("code"))


def _milestones(text: str) -> list[dict]:
    found, bad = [], []
    for n, line in enumerate((line.strip() for line in text.splitlines()), 1):
        if not line:
            continue
        match = MILESTONE.match(line)
        try:
            due = date.fromisoformat(match.group(1)) if match else None
        except ValueError:
            due = None
        if due is None:
            bad.append(f"第 {n} 行应为“YYYY-MM-DD 内容”，日期须真实存在。")
        else:
            found.append({"due": due.isoformat(), "text": match.group(2)[:200]})
    if bad:
        raise Invalid("节点有误。", errors={"milestones": bad})
    if not found:
        raise Invalid("请至少填写一个节点。", errors={"milestones": ["每行一个节点：YYYY-MM-DD 内容。"]})
    return sorted(found, key=lambda m: m["due"])


@transaction.atomic
def governance_project_create(
    *, actor: Membership, topic: Topic, owner: str, goal: str, milestones: str, prevents: str
) -> GovernanceProject:
    """未诉先办: a leader turns a month's topic into a governance project — a unit that owns it, a
    goal, dated milestones and the kind of case it should prevent (Beijing 接诉即办 每月一题:
    solve the hot problem before people call). One project per topic (409 twice); the owner must
    be an active unit of the actor's jurisdiction. Audited."""
    require_permission(actor, "topic.manage")
    if not topic.region.is_within(actor.jurisdiction):
        raise NotFound("未找到该题目。")
    errors = {}
    unit = Unit.objects.filter(code=owner, is_active=True, region__path__startswith=actor.jurisdiction.path).first()
    if unit is None:
        errors["owner"] = ["请选择本辖区内的牵头单位。"]
    try:
        steps = _milestones(milestones or "")
    except Invalid as exc:
        errors.update(exc.errors)
    try:
        goal = clean_text(goal, "goal", "治理目标", limit=2000)
        prevents = clean_text(prevents, "prevents", "要预防的案件", limit=500)
    except Invalid as exc:
        errors.update(exc.errors)
    if errors:
        raise Invalid("治理项目有误，请检查标出的字段。", errors=errors)
    try:
        with transaction.atomic():
            project = GovernanceProject.objects.create(
                topic=topic,
                owner=unit,
                goal=goal,
                milestones=steps,
                prevents=prevents,
                baseline=topic.size,
                created_by=actor.user,
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict("该题目已立项。", code="already_project") from None
    audit_as(actor, action="topic_project_create", target=f"topic:{topic.pk}", detail={"owner": unit.code})
    return project
