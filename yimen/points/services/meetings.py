"""村民议事 (issue 16 part 5; 清水坪镇 seed: "村民议事会……小组会、院坝会、火坑会，重点关注群众
'微心愿'"): a meeting, its agenda of open wishes, and its decisions with owners."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from yimen.core.errors import Invalid
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.points.models import Decision, Meeting, Wish
from yimen.points.services._base import log


@transaction.atomic
def meeting_record(
    *,
    actor: Membership,
    village: Region,
    kind: str,
    held_at: datetime,
    place: str,
    attendance: int,
    wish_ids: list[int],
    notes: str = "",
    decisions: list[tuple[str, str]],
) -> Meeting:
    """Record a village meeting held (not one planned: no time more than a day ahead). Its
    agenda wishes must be the village's open ones; every decision names who carries it out."""
    errors: dict[str, list[str]] = {}
    if kind not in Meeting.Kind.values:
        errors["kind"] = ["请选择议事形式。"]
    if held_at > timezone.now() + timedelta(days=1):
        errors["held_at"] = ["只记录已召开的会议。"]
    if not place.strip():
        errors["place"] = ["请填写地点。"]
    if attendance < 1:
        errors["attendance"] = ["参会人数至少为 1。"]
    wishes = list(Wish.objects.filter(pk__in=wish_ids, village=village, state=Wish.State.OPEN))
    if len(wishes) != len(set(wish_ids)):
        errors["wishes"] = ["议题只能选本村待认领的微心愿。"]
    decisions = [(text.strip(), owner.strip()) for text, owner in decisions if text.strip() or owner.strip()]
    if not decisions:
        errors["decisions"] = ["请至少记录一项议定事项。"]
    elif any(not text or not owner for text, owner in decisions):
        errors["decisions"] = ["每项议定事项都须写明负责人。"]
    if errors:
        raise Invalid("会议记录不完整，请按提示补充。", errors=errors)
    meeting = Meeting.objects.create(
        village=village,
        kind=kind,
        held_at=held_at,
        place=place.strip(),
        attendance=attendance,
        notes=notes.strip(),
        recorded_by=actor,
    )
    meeting.wishes.set(wishes)
    Decision.objects.bulk_create(Decision(meeting=meeting, text=text, owner=owner) for text, owner in decisions)
    log(actor, "points.meeting", f"village:{village.code}", meeting=meeting.pk, wishes=[w.pk for w in wishes])
    return meeting
