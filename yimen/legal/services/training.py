"""乡村干部法治培训 and 典型案例宣讲 (issue 18 part 4; 才湾镇's seed: "定期开展乡村干部法治培训、
典型案例宣讲等活动"). One verb: the session recorded after it was given, with its cadres and, for
a case talk, the closed cases used — stored as the generator (yimen.legal.anonymise) made them
anonymous, never as typed. It counts in the adviser's monthly log (selectors.adviser_month_log)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from yimen.cases.models import Case
from yimen.core.errors import Invalid
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.legal.anonymise import anonymise_case
from yimen.legal.models import TrainingSession, TypicalCase
from yimen.legal.selectors import advisers_visible
from yimen.legal.services.outreach import village_in_reach
from yimen.org.models import Membership
from yimen.org.roles import Role
from yimen.org.services import audit_as

MAX_CASES = 10


@transaction.atomic
def training_session_record(
    *,
    actor: Membership,
    kind: str,
    topic: str,
    held_at: datetime,
    place: str,
    speaker: int,
    villages: list[str],
    attendance: int,
    attendees: list[int] = (),
    cases: list[str] = (),
) -> TrainingSession:
    """A training or case talk given (judicial office or the adviser, who records only their
    own): the speaker an adviser on the roster over the actor's area, the villages in it, the
    attendance at least the cadres named (members of units in the actor's area), the cases
    closed (办结 or after) and visible to the actor; a case talk uses at least one. Each case is
    stored through anonymise_case."""
    require_permission(actor, "outreach.deliver")
    errors: dict[str, list[str]] = {}
    if kind not in TrainingSession.Kind.values:
        errors["kind"] = ["请选择培训或案例宣讲。"]
    topic = clean_text(topic, "topic", "主题", limit=100, errors=errors)
    place = clean_text(place, "place", "地点", limit=100, errors=errors)
    if held_at > timezone.now():
        errors["held_at"] = ["请在活动举行后登记，时间不能晚于现在。"]
    adviser = advisers_visible(actor).filter(pk=speaker).first()
    if adviser is None:
        errors["speaker"] = ["请选择本辖区名册上在岗的村法律顾问。"]
    elif actor.role == Role.ADVISER and adviser.member_id != actor.pk:
        errors["speaker"] = ["村法律顾问只能登记本人主讲的活动。"]
    places = []
    for code in dict.fromkeys(villages):
        found = village_in_reach(actor, code, errors)
        if found is not None:
            places.append(found)
    if not villages:
        errors["village"] = ["请选择至少一个参训村（社区）。"]
    if "village" in errors:
        errors["villages"] = errors.pop("village")
    cadres = list(
        Membership.objects.filter(
            pk__in=list(attendees), is_active=True, unit__region__path__startswith=actor.jurisdiction.path
        )
    )
    if len(cadres) != len(set(attendees)):
        errors["attendees"] = ["参训干部须是本辖区单位的在岗人员。"]
    if not 1 <= attendance <= 10_000:
        errors["attendance"] = ["参加人数须在 1 到 10000 之间。"]
    elif attendance < len(cadres):
        errors["attendance"] = [f"参加人数不能少于登记的参训干部（{len(cadres)} 人）。"]
    used = _closed_cases(actor, list(dict.fromkeys(cases)), errors)
    if kind == TrainingSession.Kind.CASE_TALK and not cases:
        errors.setdefault("cases", ["典型案例宣讲请选用至少一件已办结的案件。"])
    if errors:
        raise Invalid("培训登记填写有误。", errors=errors)
    session = TrainingSession.objects.create(
        kind=kind,
        topic=topic,
        held_at=held_at,
        place=place,
        speaker=adviser,
        attendance=attendance,
        recorded_by=actor,
    )
    session.villages.set(places)
    session.attendees.set(cadres)
    for case in used:
        text = anonymise_case(case)
        TypicalCase.objects.create(
            session=session, source=case, title=text.title[:300], description=text.description, answer=text.answer
        )

    audit_as(actor, action="training_session", target=f"training_session:{session.pk}")
    return session


def _closed_cases(actor: Membership, codes: list[str], errors: dict[str, list[str]]) -> list[Case]:
    """The cases of `codes` the actor may see, each closed; a message on `cases` otherwise."""
    if len(codes) > MAX_CASES:
        errors["cases"] = [f"一次最多选用 {MAX_CASES} 件案例。"]
        return []
    found = {c.code: c for c in Case.objects.visible_to(actor).filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        errors["cases"] = [f"没有这件案件：{'、'.join(missing)}。"]
        return []
    open_ = [code for code in codes if found[code].state not in Case.DONE]
    if open_:
        errors["cases"] = [f"只能选用已办结的案件：{'、'.join(open_)} 尚未办结。"]
        return []
    return [found[code] for code in codes]
