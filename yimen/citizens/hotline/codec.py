"""The JSON both shipped adapters exchange: one ticket or one reply per object."""

from datetime import datetime

from yimen.citizens.hotline import Reply, Ticket

TICKET_FIELDS = ("number", "category", "title", "text", "caller_name", "caller_phone")


class BadTicket(ValueError):
    pass


def _when(value) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise BadTicket(f"时间格式有误：{value!r}") from None
    if moment.tzinfo is None:
        raise BadTicket(f"时间须带时区：{value!r}")
    return moment


def ticket_from(data: dict) -> Ticket:
    if not isinstance(data, dict) or not all(isinstance(data.get(f, ""), str) for f in TICKET_FIELDS):
        raise BadTicket("工单字段有误。")
    if not data.get("number") or not data.get("text"):
        raise BadTicket("工单缺少工单号或内容。")
    rating = data.get("rating")
    if rating is not None and not (isinstance(rating, int) and 1 <= rating <= 5):
        raise BadTicket("评价须为 1 到 5。")
    return Ticket(
        **{f: data.get(f, "") for f in TICKET_FIELDS},
        deadline=_when(data.get("deadline")),
        received_at=_when(data.get("received_at")),
        rating=rating,
    )


def reply_to(reply: Reply) -> dict:
    return {
        "number": reply.number,
        "text": reply.text,
        "answered_at": reply.answered_at.isoformat(),
        "case_code": reply.case_code,
        "unit": reply.unit,
    }
