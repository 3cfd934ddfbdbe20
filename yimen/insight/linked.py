"""What the command centre reads of the apps built beside it, kept in this one module: 化解成功率
from mediation (`yimen.mediation.models.Mediation`: one per case, `result`
pending/agreement/partial/failed, `ended_at`), 重复信访率 from petitions
(`yimen.petitions.models.PetitionRecord`: one per case, `repeat_of`) and the camera points of
fieldwork (`yimen.fieldwork.models.Camera`). While a model is missing its figure is None ("—")."""

from django.apps import apps
from django.db.models import Count, Q

from yimen.insight.rollups.facts import Scope

FINAL_RESULTS = ("agreement", "partial", "failed")


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _case_rule(scope: Scope) -> Q:
    rule = Q(case__region_path__startswith=scope.path)
    if scope.kinds is not None:
        rule &= Q(case__kind__in=sorted(scope.kinds))
    if scope.unit_id is not None:
        rule &= Q(case__lead_unit_id=scope.unit_id) | Q(case__lead_unit__isnull=True, case__first_unit_id=scope.unit_id)
    if scope.category is not None:
        rule &= Q(case__category_id=scope.category or None)
    return rule


def mediation_counts(scope: Scope) -> tuple[int, int] | None:
    """(agreements, mediations ended) in the period, or None without the mediation app."""
    mediation = _model("mediation", "Mediation")
    if mediation is None:
        return None
    start, end = scope.window()
    ended = mediation.objects.filter(_case_rule(scope), result__in=FINAL_RESULTS, ended_at__gte=start, ended_at__lt=end)
    got = ended.aggregate(total=Count("pk"), agreed=Count("pk", filter=Q(result="agreement")))
    return got["agreed"], got["total"]


def petition_counts(scope: Scope) -> tuple[int, int] | None:
    """(repeat petitions, petitions) received in the period, or None without the petitions app."""
    record = _model("petitions", "PetitionRecord")
    if record is None:
        return None
    start, end = scope.window()
    received = record.objects.filter(_case_rule(scope), case__received_at__gte=start, case__received_at__lt=end)
    got = received.aggregate(total=Count("pk"), repeats=Count("pk", filter=Q(repeat_of__isnull=False)))
    return got["repeats"], got["total"]


CAMERA_POINTS = 2000


def camera_points(path: str) -> list[dict] | None:
    """Camera points in a region's subtree ({code, name, lat, lng, status}), or None without the
    model."""
    camera = _model("fieldwork", "Camera")
    if camera is None:
        return None
    rows = camera.objects.filter(region_path__startswith=path).order_by("code")
    return list(rows.values("code", "name", "lat", "lng", "status")[:CAMERA_POINTS])


def repeat_petitions(cases) -> set[int]:
    """The ids among `cases` (a queryset) recorded as repeat petitions (重复信访), for the upstream
    petition form; empty without the petitions app."""
    record = _model("petitions", "PetitionRecord")
    if record is None:
        return set()
    return set(record.objects.filter(case__in=cases, repeat_of__isnull=False).values_list("case_id", flat=True))
