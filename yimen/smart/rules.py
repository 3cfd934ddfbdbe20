"""Early-warning rules (issue 23 part 4). Each reads the cases of its window and returns what it
finds — the subject, the cases that are the evidence and the evidence in words; the thresholds
and windows are WarningRule rows (data an administrator edits). services_warnings raises them."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from yimen.cases.models import Case, Party
from yimen.smart.models import WarningRule

GROUP_SIZE = 5  # 群体性: five people or more (信访工作条例 art. 20 counts representatives from here)


@dataclass
class Found:
    subject: str
    label: str
    cases: list[Case]
    evidence: str


def identity(person_id, id_index: str, phone_index: str) -> str:
    """One party's key: the registry person, else the ID number's blind index, else the phone's."""
    if person_id:
        return f"p:{person_id}"
    return f"i:{id_index}" if id_index else (f"t:{phone_index}" if phone_index else "")


def village_path(path: str) -> str:
    """The village's prefix of a materialised region path (a village's division code has 12
    digits, GB/T 2260 with the statistics office's village level); the path itself above it."""
    parts = path.strip("/").split("/")
    for i, code in enumerate(parts):
        if len(code) == 12:
            return "/".join(parts[: i + 1]) + "/"
    return path


def _window(rule: WarningRule, now: datetime):
    return Case.unscoped.filter(received_at__gte=now - timedelta(days=rule.window_days), received_at__lte=now).exclude(
        state="merged"
    )


def _cases(pks) -> list[Case]:
    return list(Case.unscoped.filter(pk__in=list(pks)).select_related("region").order_by("received_at", "pk"))


def repeat_petitioner(rule: WarningRule, now: datetime) -> list[Found]:
    """The same applicant's matters rising: at least `threshold` within the window, and no fewer
    in its second half than in its first."""
    parties = Party.objects.filter(case__in=_window(rule, now), role=Party.Role.APPLICANT).values_list(
        "case_id", "name", "person_id", "id_number_index", "phone_index", "case__received_at"
    )
    by_person: dict[str, dict] = defaultdict(lambda: {"cases": {}, "name": ""})
    for case_id, name, person_id, id_index, phone_index, at in parties:
        key = identity(person_id, id_index, phone_index)
        if key:
            by_person[key]["cases"][case_id] = at
            by_person[key]["name"] = name
    middle = now - timedelta(days=rule.window_days / 2)
    found = []
    for key, seen in by_person.items():
        if len(seen["cases"]) < rule.threshold:
            continue
        later = sum(1 for at in seen["cases"].values() if at >= middle)
        if later < len(seen["cases"]) - later:
            continue
        found.append(
            Found(
                subject=key,
                label=seen["name"],
                cases=_cases(seen["cases"]),
                evidence=f"近 {rule.window_days} 日同一当事人 {len(seen['cases'])} 件（后半段 {later} 件）",
            )
        )
    return found


def recurring_dispute(rule: WarningRule, now: datetime) -> list[Found]:
    """A dispute between the same applicant and respondent at least `threshold` times."""
    parties = Party.objects.filter(
        case__in=_window(rule, now).filter(kind="dispute"), role__in=[Party.Role.APPLICANT, Party.Role.RESPONDENT]
    ).values_list("case_id", "role", "name", "person_id", "id_number_index", "phone_index", "case__region_path")
    sides: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    names: dict[str, str] = {}
    for case_id, role, name, person_id, id_index, phone_index, path in parties:
        # Respondents often come without number: then their name within the village is the key.
        key = identity(person_id, id_index, phone_index) or f"n:{name}@{village_path(path)}"
        sides[case_id][role].add(key)
        names[key] = name
    pairs: dict[tuple[str, str], set[int]] = defaultdict(set)
    first_seen: dict[tuple[str, str], tuple[str, str]] = {}  # the pair as first met: applicant first
    for case_id, roles in sides.items():
        for a in roles.get(Party.Role.APPLICANT, ()):
            for b in roles.get(Party.Role.RESPONDENT, ()):
                pair = tuple(sorted((a, b)))
                pairs[pair].add(case_id)
                first_seen.setdefault(pair, (a, b))
    return [
        Found(
            subject="|".join(pair)[:200],
            label="{} 与 {}".format(*(names[key] for key in first_seen[pair])),
            cases=_cases(pks),
            evidence=f"近 {rule.window_days} 日同一双方纠纷 {len(pks)} 次",
        )
        for pair, pks in pairs.items()
        if len(pks) >= rule.threshold
    ]


def hazard_cluster(rule: WarningRule, now: datetime) -> list[Found]:
    """At least `threshold` hazards reported at the same place (micro-grid or grid) in the window."""
    places: dict[int, set[int]] = defaultdict(set)
    for pk, region_id in _window(rule, now).filter(kind="hazard").values_list("pk", "region_id"):
        places[region_id].add(pk)
    found = []
    for pks in places.values():
        if len(pks) >= rule.threshold:
            cases = _cases(pks)
            place = cases[0].region
            if place.level in ("town", "county", "village"):
                continue  # a whole village is no "place": its hazards are not a cluster
            found.append(
                Found(
                    subject=place.code,
                    label=place.name,
                    cases=cases,
                    evidence=f"近 {rule.window_days} 日同一地点隐患 {len(pks)} 件",
                )
            )
    return found


def growing_group(rule: WarningRule, now: datetime) -> list[Found]:
    """A group matter (≥ 5 people) of the same category in the same village recurring at least
    `threshold` times with more people than the first time."""
    rows = (
        _window(rule, now)
        .filter(group_size__gte=GROUP_SIZE, category__isnull=False)
        .values_list("pk", "region_path", "category__code", "category__name", "group_size", "received_at")
    )
    matters: dict[tuple[str, str], list] = defaultdict(list)
    for pk, path, code, name, size, at in rows:
        matters[(village_path(path), code)].append((at, pk, size, name))
    found = []
    for (village, code), seen in matters.items():
        seen.sort()
        if len(seen) < rule.threshold or seen[-1][2] <= seen[0][2]:
            continue
        cases = _cases(pk for _, pk, _, _ in seen)
        found.append(
            Found(
                subject=f"{village}#{code}"[:200],
                label=f"{cases[-1].region.name} · {seen[0][3]}",
                cases=cases,
                evidence=f"群体性事项 {len(seen)} 次，人数 {seen[0][2]} → {seen[-1][2]}",
            )
        )
    return found


RULES = {
    "repeat_petitioner": repeat_petitioner,
    "recurring_dispute": recurring_dispute,
    "hazard_cluster": hazard_cluster,
    "growing_group": growing_group,
}
# (code, name, threshold, window days): the seed rows (migration 0002).
SEED = [
    ("repeat_petitioner", "重复来访：同一当事人诉求增多", 3, 90),
    ("recurring_dispute", "同一双方纠纷反复发生", 2, 180),
    ("hazard_cluster", "同一地点隐患集中", 3, 30),
    ("growing_group", "群体性事项人数增长", 2, 90),
]
