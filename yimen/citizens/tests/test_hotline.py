"""12345 adapters round trip against a fake hotline: a ticket in → a case with the upstream
number and deadline → the case answered → the reply out (and the 回访 rating in)."""

import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from yimen.cases.tests.conftest import act
from yimen.citizens.hotline.filedrop import FileDropAdapter
from yimen.citizens.hotline.http import HttpAdapter, signature
from yimen.citizens.models import HotlineTicket
from yimen.citizens.services.hotline import hotline_pull, hotline_push
from yimen.citizens.tests.conftest import case_in  # noqa: F401

pytestmark = pytest.mark.django_db
TICKET = {
    "number": "GX12345-20261202-0007",
    "category": "城乡建设/道路",
    "title": "村道塌方",
    "text": "才湾村通往小塘村的村道塌了一半，车过不去。",
    "caller_name": "蒋先生",
    "caller_phone": "13907731234",
    "deadline": "2026-12-09T18:00:00+08:00",
}


def answer_it(case, seats):
    """Walk the hotline's case to closed, as the centre would."""
    for action, who, fields in [
        ("accept", "clerk", {}),
        ("dispatch", "dispatcher", {"lead_unit": seats["police"].unit.code}),
        ("sign", "police", {}),
        ("reply", "police", {"text": "已联系交通站抢修，12 月 5 日前通车。"}),
        ("review", "dispatcher", {"approved": True, "note": ""}),
    ]:
        case = act(action, case, seats[who], **fields)
    return case


def test_file_drop_round_trip(tmp_path, seats):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.json").write_text(json.dumps(TICKET, ensure_ascii=False), "utf-8")
    (tmp_path / "inbox" / "b.json").write_text("{not json", "utf-8")
    adapter = FileDropAdapter(tmp_path)
    [row] = hotline_pull(actor=seats["clerk"], adapter=adapter)
    case = row.case
    row.refresh_from_db()
    deadline = datetime.fromisoformat(TICKET["deadline"])
    assert (case.channel, case.source_ref, row.upstream_deadline) == ("hotline", TICKET["number"], deadline)
    assert (tmp_path / "inbox" / "b.bad").exists() and (tmp_path / "inbox" / "done" / "a.json").exists()
    assert hotline_push(adapter=adapter) == 0  # not answered yet
    answer_it(case, seats)
    assert hotline_push(adapter=adapter) == 1 and hotline_push(adapter=adapter) == 0
    reply = json.loads((tmp_path / "outbox" / f"{TICKET['number']}.reply.json").read_text("utf-8"))
    assert reply["text"] == "已联系交通站抢修，12 月 5 日前通车。" and reply["case_code"] == case.code
    # The hotline's 回访 rating on a later exchange; the same ticket makes no second case.
    (tmp_path / "inbox" / "c.json").write_text(json.dumps({**TICKET, "rating": 5}), "utf-8")
    hotline_pull(actor=seats["clerk"], adapter=adapter)
    assert HotlineTicket.objects.get().rating == 5 and HotlineTicket.objects.count() == 1


class FakeHotline(BaseHTTPRequestHandler):
    secret = "s3cret"
    replies: list = []
    refused: list = []

    def _checked(self) -> bytes:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        expected = signature(self.secret, self.command, self.path, self.headers["X-Timestamp"], body)
        if self.headers.get("X-Signature") != expected or self.headers.get("X-Key") != "caiwan":
            self.refused.append(self.path)
            self.send_response(401)
            self.end_headers()
            return None
        return body

    def _json(self, data) -> None:
        raw = json.dumps(data, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):
        if self._checked() is not None:
            self._json([TICKET, {"number": "", "text": "缺工单号"}])

    def do_POST(self):
        body = self._checked()
        if body is not None:
            self.replies.append((self.path, json.loads(body)))
            self._json({"receipt": "R-0001"})

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_hotline():
    server = HTTPServer(("127.0.0.1", 0), FakeHotline)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_http_round_trip_is_signed(fake_hotline, seats):
    FakeHotline.replies.clear()
    adapter = HttpAdapter(fake_hotline, "caiwan", "s3cret")
    [row] = hotline_pull(actor=seats["clerk"], adapter=adapter)  # the bad ticket is skipped
    answer_it(row.case, seats)
    assert hotline_push(adapter=adapter) == 1
    path, body = FakeHotline.replies[0]
    assert path == f"/tickets/{TICKET['number']}/reply" and body["unit"] == seats["police"].unit.name
    assert HotlineTicket.objects.get().reply_receipt == "R-0001"
    wrong = HttpAdapter(fake_hotline, "caiwan", "guessed")
    with pytest.raises(Exception, match="401"):
        wrong.fetch()


@pytest.fixture
def drop(tmp_path, seats, settings):
    settings.YIMEN_HOTLINE_DROP_DIR = str(tmp_path)
    settings.YIMEN_HOTLINE_ACTOR = seats["clerk"].user.username
    (tmp_path / "inbox").mkdir()
    return tmp_path


def test_the_scheduled_exchange_makes_one_case_per_ticket_and_sends_each_reply_once(drop, seats):
    from yimen.citizens.tasks import hotline_exchange_scheduled

    (drop / "inbox" / "a.json").write_text(json.dumps(TICKET, ensure_ascii=False), "utf-8")
    assert hotline_exchange_scheduled.call_local() == {"received": 1, "replied": 0}
    # The hotline drops the same ticket again under another name: still one case.
    (drop / "inbox" / "a-again.json").write_text(json.dumps(TICKET, ensure_ascii=False), "utf-8")
    assert hotline_exchange_scheduled.call_local() == {"received": 1, "replied": 0}
    assert HotlineTicket.objects.count() == 1
    answer_it(HotlineTicket.objects.get().case, seats)
    assert hotline_exchange_scheduled.call_local() == {"received": 0, "replied": 1}
    assert hotline_exchange_scheduled.call_local() == {"received": 0, "replied": 0}
    [reply] = (drop / "outbox").iterdir()
    assert json.loads(reply.read_text("utf-8"))["number"] == TICKET["number"]


def test_a_refused_ticket_is_handed_back_and_the_others_go_on(drop, seats):
    from yimen.citizens.tasks import hotline_exchange_scheduled

    bad = {**TICKET, "number": "GX-BAD-1", "caller_phone": "12"}
    (drop / "inbox" / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), "utf-8")
    (drop / "inbox" / "good.json").write_text(json.dumps(TICKET, ensure_ascii=False), "utf-8")
    assert hotline_exchange_scheduled.call_local() == {"received": 1, "replied": 0}
    assert (drop / "inbox" / "bad.failed").exists() and (drop / "inbox" / "bad.reason.txt").read_text("utf-8")


def test_the_exchange_is_off_until_configured(tmp_path, seats, settings):
    from yimen.citizens.tasks import hotline_exchange_scheduled

    settings.YIMEN_HOTLINE_DROP_DIR = ""
    assert hotline_exchange_scheduled.call_local() is None
    settings.YIMEN_HOTLINE_DROP_DIR, settings.YIMEN_HOTLINE_ACTOR = str(tmp_path), "nobody"
    assert hotline_exchange_scheduled.call_local() is None and not HotlineTicket.objects.exists()


def test_the_interval_is_read_in_beijing_time():
    from yimen.citizens.tasks import every

    nightly, hourly = every(1440), every(60)
    assert nightly(datetime(2026, 12, 2, 16, 0)) and not nightly(datetime(2026, 12, 2, 0, 0))  # UTC 16:00 = 00:00
    assert hourly(datetime(2026, 12, 2, 3, 0)) and not hourly(datetime(2026, 12, 2, 3, 30))
