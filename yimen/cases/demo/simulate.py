"""Walks one draft through the workflow with its own rules (TRANSITIONS, the catalogue's deadline
policies), writing the timeline rows the services would have written; a step that would lie in
the future is not taken, so recent cases are still open."""

from datetime import timedelta

from yimen.cases.deadlines import policy_deadline
from yimen.cases.demo.draft import _suggest
from yimen.cases.demo.world import PACE, TOWN_CODE, Draft, _Stop, _World
from yimen.cases.models import (
    Assignment,
    TimelineEvent,
)
from yimen.org.models import Membership, Unit


class _Run:
    """Walks one draft through the workflow, as the services would, until `now` or `stop_at`."""

    def __init__(self, world: _World, draft: Draft, stop_at: str | None):
        self.world, self.draft, self.case, self.rng = world, draft, draft.case, world.rng
        self.at, self.state, self.stop_at = draft.case.received_at, "", stop_at
        self.pace = PACE.get(draft.case.kind, 1.0)

    def step(self, action, delay: timedelta, to: str | None, seat: Membership | None, *, unit=None, note="", data=None):
        if self.stop_at and self.state == self.stop_at:
            raise _Stop
        at = self.at + delay
        if at > self.world.now:
            raise _Stop
        target = to or self.state
        unit = unit or (seat.unit if seat else None)
        self.draft.events.append(
            TimelineEvent(
                at=at,
                actor=seat.user if seat else None,
                actor_name=(seat.user.name or seat.user.username)
                if seat
                else (f"{unit.name}承办人" if unit else "系统"),
                unit=unit,
                action=action,
                from_state=self.state,
                to_state=target,
                note=note,
                data=data or {},
            )
        )
        if action != "register":
            self.case.version += 1
        self.at, self.state, self.case.state, self.case.updated_at = at, target, target, at
        return at

    def hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high) * self.pace)

    def actor(self, unit: Unit) -> Membership | None:
        return self.world.actors.get(unit.pk)


def _simulate(world: _World, draft: Draft, fate: str, stop_at: str | None = None) -> None:
    run = _Run(world, draft, stop_at)
    case, rng = draft.case, world.rng
    centre = world.dispatcher
    first = case.first_unit
    registrar = world.clerk if first.code.endswith("-centre") else world.actors.get(first.pk)
    if case.channel == "grid":
        registrar = world.gridworkers.get(first.pk, registrar)
    try:
        run.step(
            "register",
            timedelta(minutes=rng.randrange(3, 40)),
            "registered",
            registrar,
            unit=first,
            data={"channel": case.channel, "risk": case.risk, "category": case.category.code},
        )
        if fate == "declined":
            run.step(
                "decline",
                run.hours(1, 30),
                "declined",
                centre,
                note="不属于本中心受理范围，已告知当事人向有关部门反映。",
            )
            _finish(run, archive=True)
            return
        if fate == "referred":
            to = rng.choice(["110", "全州县人民法院", "全州县劳动人事争议仲裁委员会", "全州县市场监督管理局"])
            case.referred_to = to
            run.step(
                "refer",
                run.hours(0.5, 8),
                "referred",
                centre,
                note="属于法定途径处理事项，已引导转办。",
                data={"to": to},
            )
            _finish(run, archive=True)
            return
        if fate == "merged":
            earlier = [
                d.case
                for d in world.drafts[-60:-1]
                if d.case.kind == case.kind and d.case.region_path[:60] == case.region_path[:60]
            ]
            if earlier:
                case.merged_into = earlier[-1]
                run.step(
                    "merge",
                    run.hours(0.5, 6),
                    "merged",
                    centre,
                    note="同一事项重复反映，并入原件办理。",
                    data={"into": "(demo)"},
                )
                return
        case.accepted_at = run.step("accept", run.hours(0.2, 5), "accepted", registrar or centre, unit=first)
        if fate == "window":
            case.closed_at = run.step(
                "close",
                run.hours(0.1, 2),
                "closed",
                registrar or centre,
                unit=first,
                note="窗口当场解答，当事人表示清楚。",
            )
            _follow_up(run, rating=rng.choice([4, 5, 5]))
            _finish(run, archive=True)
            return
        lead, supports = _suggest(world, case.category, case)
        if fate == "disputed":
            wrong = (
                world.units[f"{TOWN_CODE}-police"] if lead.kind != "police" else world.units[f"{TOWN_CODE}-judicial"]
            )
            _dispatch(run, wrong, [])
            run.step(
                "dispute",
                run.hours(1, 20),
                "disputed",
                run.actor(wrong),
                unit=wrong,
                note="该事项不属于本单位职责，请改派。",
                data={"unit": wrong.code},
            )
            draft.assignments[-1].state, draft.assignments[-1].disputed_at = "disputed", run.at
            draft.assignments[-1].dispute_reason = "该事项不属于本单位职责，请改派。"
            _dispatch(run, lead, supports, action="redispatch")
        else:
            _dispatch(run, lead, supports)
        _handle(run, lead, late=fate == "late")
        if fate == "reopened":
            run.step(
                "review",
                run.hours(4, 40),
                "in_progress",
                centre,
                note="答复未附调解协议，请补充后重报。",
                data={"approved": False},
            )
            _lead(draft).state = "signed"
            _reply(run, lead)
        case.closed_at = run.step("review", run.hours(2, 40), "closed", centre, data={"approved": True})
        if fate == "unsatisfied":
            run.step(
                "follow_up",
                run.hours(24, 120),
                "in_progress",
                world.clerk,
                note="群众认为未解决实际问题。",
                data={"rating": 2, "cause": "subjective", "reopened": True},
            )
            case.closed_at = None
            _lead(draft).state = "signed"
            _reply(run, lead)
            case.closed_at = run.step("review", run.hours(2, 40), "closed", centre, data={"approved": True})
        _follow_up(run, rating=rng.choices([5, 4, 3, 2], [60, 28, 9, 3])[0])
        _finish(run, archive=True)
    except _Stop:
        pass


def _lead(draft: Draft) -> Assignment:
    return next(a for a in reversed(draft.assignments) if a.role == "lead")


def _dispatch(run: _Run, lead: Unit, supports: list[Unit], action: str = "dispatch") -> None:
    case, row = run.case, run.case.category
    at = run.step(
        action,
        run.hours(0.3, 6),
        "dispatched",
        run.world.dispatcher,
        data={"lead_unit": lead.code, "support_units": [u.code for u in supports]},
    )
    case.dispatched_at, case.lead_unit = at, lead
    for earlier in run.draft.assignments:  # redispatch: the returned dispatch is withdrawn
        earlier.state = "withdrawn" if earlier.state in Assignment.ACTIVE else earlier.state
    deadline = policy_deadline(row.policy, at)
    if case.deadline and at < case.deadline < deadline:
        deadline = case.deadline
    for unit, role in [(lead, "lead"), *((u, "support") for u in supports)]:
        run.draft.assignments.append(
            Assignment(
                unit=unit,
                role=role,
                policy=row.policy,
                dispatched_at=at,
                dispatched_by=run.world.dispatcher.user if run.world.dispatcher else None,
                sign_deadline=policy_deadline(row.sign_policy, at),
                dispute_deadline=policy_deadline(row.return_policy, at),
                deadline=deadline,
            )
        )


def _handle(run: _Run, lead: Unit, *, late: bool) -> None:
    draft = run.draft
    assignment = _lead(draft)
    span = max(assignment.sign_deadline - run.at, timedelta(minutes=20))
    assignment.signed_at = run.step(
        "sign",
        span * run.rng.uniform(0.05, 0.8),
        "in_progress",
        run.actor(lead),
        unit=lead,
        data={"unit": lead.code, "role": "lead"},
    )
    assignment.state = "signed"
    for support in [a for a in draft.assignments if a.role == "support" and a.state == "pending"]:
        support.signed_at = run.step(
            "sign",
            run.hours(0.1, 4),
            None,
            run.actor(support.unit),
            unit=support.unit,
            data={"unit": support.unit.code, "role": "support"},
        )
        support.state = "signed"
        support.replied_at = run.step(
            "reply",
            run.hours(2, 48),
            None,
            run.actor(support.unit),
            unit=support.unit,
            note="已配合主办单位开展工作。",
            data={"role": "support"},
        )
        support.state, support.reply = "replied", "已配合主办单位开展工作。"
    _reply(run, lead, late=late)


REPLIES = [
    "已会同村委会现场核实处理，问题已解决，当事人表示认可。",
    "经调解双方达成一致意见，已签订人民调解协议书。",
    "已督促责任方整改到位，将持续跟踪。",
    "已依法答复当事人，并告知其法定救济途径。",
]


def _reply(run: _Run, lead: Unit, *, late: bool = False) -> None:
    """The lead's reply, inside its deadline — or, for late work, days after it (the case stays
    in progress and overdue until then)."""
    assignment = _lead(run.draft)
    left = max(assignment.deadline - run.at, timedelta(hours=1)) if assignment.deadline else timedelta(days=3)
    delay = left + timedelta(days=run.rng.uniform(1, 12)) if late else left * run.rng.uniform(0.1, 0.9)
    text = run.rng.choice(REPLIES)
    at = run.step(
        "reply", delay, "replied", run.actor(lead), unit=lead, note=text, data={"unit": lead.code, "role": "lead"}
    )
    assignment.state, assignment.replied_at, assignment.reply = "replied", at, text
    run.case.replied_at = at


def _follow_up(run: _Run, *, rating: int) -> None:
    run.case.followed_up_at = run.step(
        "follow_up",
        run.hours(24, 144),
        "followed_up",
        run.world.clerk,
        note="电话回访",
        data={"rating": rating, "cause": None},
    )
    run.case.rating = rating
    if run.rng.random() < 0.15:
        run.case.public_rating, run.case.public_rated_at = rating, run.step("rate", run.hours(1, 72), None, None)


def _finish(run: _Run, *, archive: bool) -> None:
    if archive:
        run.case.archived_at = run.step("archive", run.hours(24 * 5, 24 * 30), "archived", run.world.dispatcher)
