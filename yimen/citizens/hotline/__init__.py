"""12345 hotline referrals both ways (issue 19 part 4). An adapter is what talks to one hotline
platform; Yimen sees it through two methods:

- `fetch() -> list[Ticket]`: the tickets referred to the town since the last exchange;
- `send_reply(reply: Reply) -> str`: the answer to one ticket, returning the platform's receipt.

Shipped: `FileDropAdapter` (JSON files in a folder, for a nightly exchange) and `HttpAdapter`
(a signed HTTPS request each way). The services in yimen.citizens.services.hotline register
each ticket as a case (channel hotline) and send the replies of answered cases back."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Ticket:
    number: str  # the hotline's own ticket number (工单号), kept as the case's source_ref
    category: str
    title: str
    text: str
    caller_name: str
    caller_phone: str
    deadline: datetime | None  # the hotline's deadline (办结时限), kept beside Yimen's own
    received_at: datetime | None = None
    rating: int | None = None  # 回访满意度 when the platform sends it back on a later exchange


@dataclass(frozen=True)
class Reply:
    number: str
    text: str
    answered_at: datetime
    case_code: str
    unit: str


class HotlineAdapter(Protocol):
    def fetch(self) -> list[Ticket]: ...

    def send_reply(self, reply: Reply) -> str: ...
