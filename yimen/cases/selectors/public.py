"""What the citizen reads of a case on the public lookup (no login): the public steps and
states in the citizen's words, the answer and the clocks."""

from django.db.models import (
    QuerySet,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yimen.cases import timeline
from yimen.cases.models import (
    Case,
)

# Steps the citizen sees on the public lookup: supervision, risk, progress notes (they name the
# parties) and withdrawn co-units stay internal.
PUBLIC_ACTIONS = frozenset(
    {
        "register",
        "accept",
        "decline",
        "dispatch",
        "sign",
        "redispatch",
        "reply",
        "review",
        "extend",
        "close",
        "follow_up",
        "archive",
        "merge",
        "refer",
        "rate",
        "take",  # the unit at whose door it arrived handles it: the citizen's matter is in hand
    }
)


def public_case_get(*, token: str) -> Case:
    """A case by its public token, for the citizen's lookup (no login); 404 when unknown."""
    if "\x00" in token:  # PostgreSQL text cannot hold NUL; no token does
        raise Http404
    return get_object_or_404(public_case_base(), public_token=token)


def public_case_base() -> QuerySet[Case]:
    """The columns a public page reads; the citizens' lookup by code starts here too."""
    fields = ("id", "code", "state", "public_rated_at", "kind", "public_token", "accept_deadline", "deadline")
    return Case.unscoped.select_related("policy").only(*fields, "extension_days", "closed_at", "policy__source")


# The steps and states in the citizen's words (issue 21 item 12): no office words like 审核 or
# 签收; the staff timeline keeps timeline.label.
CITIZEN_STEPS = {
    "register": "事项已登记",
    "accept": "综治中心已受理",
    "decline": "不予受理",
    "dispatch": "已交承办单位办理",
    "sign": "承办单位已受理，正在办理",
    "redispatch": "已改由其他单位办理",
    "reply": "承办单位已提出处理结果",
    "review": "综治中心已核实处理结果",
    "extend": "办理时间依规延长",
    "close": "已办结",
    "follow_up": "已回访",
    "archive": "已办结存档",
    "merge": "与同一事项合并办理",
    "refer": "已转交有权处理的部门",
    "rate": "您已评价",
    "take": "首接单位已受理，直接办理",
}
CITIZEN_STATES = {
    "registered": "已登记，等待受理",
    "accepted": "已受理",
    "declined": "不予受理",
    "merged": "已与同一事项合并办理",
    "referred": "已转交有权处理的部门",
    "dispatched": "已交承办单位",
    "disputed": "正在确定承办单位",
    "in_progress": "办理中",
    "replied": "已有处理结果，正在核实",
    "closed": "已办结",
    "followed_up": "已办结",
    "archived": "已办结",
}


def _citizen_step(action: str, data: dict) -> str:
    if action == "review" and not (data or {}).get("approved", True):
        return "处理结果未通过核实，承办单位继续办理"
    return CITIZEN_STEPS.get(action, timeline.label(action))


def public_steps(*, case: Case) -> list[dict]:
    """The steps a citizen sees: when, what (in the citizen's words) and which unit — no
    names, phones, notes or risk."""
    events = case.events.filter(action__in=PUBLIC_ACTIONS).select_related("unit").order_by("at", "id")
    return [
        {
            "at": timezone.localtime(e.at),
            "action": e.action,
            "label": _citizen_step(e.action, e.data),
            "unit": e.unit.name if e.unit else "",
        }
        for e in events
    ]


def public_state_label(case: Case) -> str:
    return CITIZEN_STATES.get(case.state, case.get_state_display())


def public_answer(*, case: Case) -> str:
    """The unit's answer in its own words, shown to the citizen once it is released: the centre
    has checked it and closed the case (review approved)."""
    if case.state not in Case.DONE:
        return ""
    event = case.events.filter(action="reply").order_by("-at", "-id").only("note").first()
    return event.note if event else ""


def _day(at) -> str:
    local = timezone.localtime(at)
    return f"{local.year}年{local.month}月{local.day}日"


def public_clocks(*, case: Case, now=None) -> list[str]:
    """The legal clocks in plain words (issue 19 part 3): by when the centre tells whether it
    takes the matter, by when the unit must finish (and the rule it follows), an extension, a
    passed deadline under supervision, the day it was finished."""
    now = now or timezone.now()
    lines = []
    if case.state == Case.State.REGISTERED and case.accept_deadline:
        lines.append(f"综治中心应在 {_day(case.accept_deadline)} 前告知您是否受理。")
    if case.state in Case.ACTIVE and case.deadline:
        source = case.policy.source if case.policy_id and case.policy.source else ""
        basis = f"（依据{source}）" if source else ""
        lines.append(f"承办单位应在 {_day(case.deadline)} 前办结{basis}。")
        if case.extension_days:
            lines.append(f"办理时间已依规延长 {case.extension_days} 天。")
        if case.deadline < now:
            lines.append("已超过办结期限，综治中心正在督促办理。")
    if case.state in Case.DONE and case.closed_at:
        lines.append(f"已于 {_day(case.closed_at)} 办结。")
    return lines
