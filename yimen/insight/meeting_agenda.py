"""What a joint meeting takes up (issue 20 part 3: "agenda drawn from red cases, whistles and
topics"), always scoped:

- its agenda: the cases put on it (AgendaItem), each shown only to a member who sees the case;
- what the centre may put on it (候选议题), for those who see the meeting whole (the centre and
  leaders over its region): the region's open red cases not yet on any agenda (DESIGN §6: red
  risk goes to the joint meeting), the cases whose units were summoned (吹哨报到) in the half
  month before the meeting and not yet on an agenda, and the last month's topics (每月一题) of the
  region, each with whether a governance project took it up."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from yimen.cases.models import Case, Whistle
from yimen.core.calendar import day_start
from yimen.insight.meeting_access import sees_meeting_whole
from yimen.insight.models import AgendaItem, JointMeeting
from yimen.insight.selectors import awaiting_meeting
from yimen.insight.topics.selectors import add_months, top_topics
from yimen.org.models import Membership

# A proposal list is a short list to choose from at the table, not a report: the oldest first.
PROPOSALS = 20
# 半月联席会议: a whistle of the half month before the meeting is this meeting's business.
WHISTLE_WINDOW = timedelta(days=15)
TOPICS = 5


@dataclass(frozen=True)
class AgendaProposals:
    red: list[Case]
    whistled: list[Whistle]
    topics: list[dict]


def agenda_items(member: Membership, meeting: JointMeeting) -> QuerySet[AgendaItem]:
    """The meeting's agenda, in the order the cases were put on it; a case the member does not
    see is left out (an invited unit reads the slots of its own cases)."""
    visible = Case.objects.visible_to(member).filter(pk=OuterRef("case_id"))
    return meeting.agenda.filter(Exists(visible)).select_related("case").order_by("added_at", "id")


def _meeting_day(meeting: JointMeeting) -> date:
    return timezone.localtime(meeting.held_at).date() if meeting.held_at else meeting.held_on


def agenda_proposals(member: Membership, meeting: JointMeeting) -> AgendaProposals:
    """候选议题 for a meeting the member sees whole; nothing for an invited unit (the agenda is the
    convener's to draw). Red cases as the meetings page lists them waiting (awaiting_meeting),
    then whistles (with their cases) and topics: three queries."""
    if not sees_meeting_whole(member, meeting):
        return AgendaProposals([], [], [])
    awaiting = awaiting_meeting(member=member).filter(region_path__startswith=meeting.region.path)
    red = list(awaiting[:PROPOSALS])
    on_agenda = AgendaItem.objects.filter(case_id=OuterRef("case_id"))
    since = day_start(_meeting_day(meeting) - WHISTLE_WINDOW)
    whistled = list(
        Whistle.objects.filter(
            case__in=Case.objects.visible_to(member).active().filter(region_path__startswith=meeting.region.path),
            summoned_at__gte=since,
        )
        .exclude(Exists(on_agenda))
        .exclude(case__in=awaiting.values("pk"))  # a red case is proposed once, as red
        .select_related("case", "summoned_by_unit")
        .order_by("summoned_at", "id")[:PROPOSALS]
    )
    last_month = add_months(_meeting_day(meeting).replace(day=1), -1)
    topics = top_topics(meeting.region, last_month, last_month, limit=TOPICS)
    return AgendaProposals(red, whistled, topics)
