"""Who reads what of the joint meetings and 会商 (issue 20 part 3), always scoped:

- a meeting is seen by the centre and leaders over their jurisdiction (dashboard.view), and by
  every unit it invited or gave an item to; anyone else → 404;
- an item (督办事项) is read by its owner unit's members, and by those who see the meeting whole;
- a 会商 lets its invited units read the case file while the session runs (held_at ≤ now <
  ends_at): a case reach (cases.extensions.register_case_reach), so outside the window the case
  is as absent as any other (404); each read of the file in the window is one audit entry
  (`consultation_read`) with the session as its purpose (cases.extensions.register_case_read);
- a 会商 on a person (重点人员管控) does the same for the person's card: a person reach
  (people.extensions.register_person_reach), read-only — editing, reveals and exports keep the
  registry's own scope — and each read in the window is one `consultation_read` entry
  (people.extensions.register_person_read)."""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from yimen.insight.models import JointMeeting, MeetingAction
from yimen.org.models import Membership
from yimen.org.services import audit_as


def _sees_whole(member: Membership) -> Q:
    return Q(region__path__startswith=member.jurisdiction.path) if member.has_perm("dashboard.view") else Q(pk=None)


def meetings_visible_to(member: Membership) -> QuerySet[JointMeeting]:
    """The meetings the member may open, latest first, with their host, case and invited units."""
    mine = Exists(JointMeeting.units.through.objects.filter(jointmeeting_id=OuterRef("pk"), unit_id=member.unit_id))
    owning = Exists(MeetingAction.objects.filter(meeting=OuterRef("pk"), owner_id=member.unit_id))
    return (
        JointMeeting.objects.filter(_sees_whole(member) | Q(mine) | Q(owning))
        .select_related("host", "case", "person")
        .prefetch_related("units")
        .order_by("-held_on", "-id")
    )


def meeting_get_visible(member: Membership, meeting_id: int) -> JointMeeting:
    found = meetings_visible_to(member).filter(pk=meeting_id).first()
    if found is None:
        raise Http404
    return found


def sees_meeting_whole(member: Membership, meeting: JointMeeting) -> bool:
    """The centre and leaders over the meeting's region read all of it (items, agenda, what to
    put on it); an invited unit reads its own part."""
    return JointMeeting.objects.filter(_sees_whole(member), pk=meeting.pk).exists()


def items_visible_to(member: Membership, meeting: JointMeeting) -> QuerySet[MeetingAction]:
    """The meeting's items the member reads: all of them for those who see the meeting whole,
    else the ones their unit owns."""
    items = meeting.actions.select_related("owner", "case").order_by("due_on", "id")
    if sees_meeting_whole(member, meeting):
        return items
    return items.filter(owner_id=member.unit_id)


def item_get(meeting: JointMeeting, item_id: int) -> MeetingAction:
    """An item of a meeting the member sees (meeting_get_visible); absent → 404. Whether the
    member may answer it is the service's to say (another unit → 403)."""
    found = meeting.actions.select_related("owner").filter(pk=item_id).first()
    if found is None:
        raise Http404
    return found


def unit_items(member: Membership) -> QuerySet[MeetingAction]:
    """本单位督办事项: every item the meetings gave the member's unit, open ones by due date first."""
    return (
        MeetingAction.objects.filter(owner_id=member.unit_id)
        .select_related("meeting", "case", "answered_by")
        .order_by("-status", "due_on", "id")  # descending, "open" comes before "dropped" and "done"
    )


def _open_sessions(unit_id: int, now=None) -> QuerySet[JointMeeting]:
    now = now or timezone.now()
    return JointMeeting.objects.filter(
        kind=JointMeeting.Kind.CONSULTATION, units=unit_id, held_at__lte=now, ends_at__gt=now
    )


def _reach(member: Membership, on: str) -> Exists | None:
    if not member.has_perm("meeting.view"):
        return None
    return Exists(_open_sessions(member.unit_id).filter(**{on: OuterRef("pk")}))


def _log_read(member: Membership | None, target: str, **subject) -> None:
    """One `consultation_read` entry with the running session as its purpose (个人信息保护法
    art. 6: the reading is for the session alone); nothing when no session of the member's unit
    on the subject runs now (the member read it in their own right)."""
    if member is None or not member.has_perm("meeting.view"):
        return
    session = _open_sessions(member.unit_id).filter(**subject).order_by("held_at", "id").first()
    if session is None:
        return
    with transaction.atomic():
        audit_as(
            member,
            action="consultation_read",
            target=target,
            purpose=f"会商：{session.title}（meeting:{session.pk}）",
            detail={"meeting": session.pk},
        )


def consultation_reach(member: Membership) -> Exists | None:
    """The cases of the 会商 sessions the member's unit is invited to that run now (a case reach);
    None for the seats that take no part in meetings, so their scope costs nothing more."""
    return _reach(member, "case")


def consultation_read(member: Membership, case) -> None:
    """Log a read of the case file by a unit invited to a 会商 on it that runs now, with the
    session as the purpose."""
    _log_read(member, f"case:{case.code}", case=case)


def consultation_person_reach(member: Membership) -> Exists | None:
    """The persons of the 会商 sessions the member's unit is invited to that run now (a person
    reach: read-only); None for the seats that take no part in meetings."""
    return _reach(member, "person")


def consultation_person_read(member: Membership, person) -> None:
    """Log a read of the person's card by a unit invited to a 会商 on them that runs now, with
    the session as the purpose, as consultation_read does for a case."""
    _log_read(member, f"person:{person.pk}", person=person)
