"""Demo: three 随手拍 reports from 才湾镇 residents waiting in the grid workers' queues, filed the
way a citizen files them (a code by SMS, then the report), so the demo outbox shows the codes."""

import re

from yimen.citizens import services
from yimen.citizens.models import CitizenReport, SmsMessage
from yimen.core.crypto import blind_index
from yimen.core.errors import Invalid

STORIES = [
    ("13877351201", "hazard", "才湾村村口桥头的护栏松动了，小孩上学天天从这里过，麻烦尽快看看。", "450324106200"),
    ("13977352418", "request", "我家门口那段村道的路灯坏了快一个月，晚上老人出门看不清。", "450324106200"),
    ("13607739025", "dispute", "隔壁在我家承包地边上堆建材，说了几次不听，想请村里调解。", "450324106201"),
]


def _code(phone: str) -> str:
    message = SmsMessage.objects.filter(to_phone_index=blind_index(phone)).first()
    return re.search(r"验证码 (\d{6})", message.message).group(1)


def build_demo() -> str:
    if CitizenReport.objects.exists():
        return "群众随手拍：已有，未重建。"
    made = 0
    for phone, kind, text, region in STORIES:
        services.code_send(phone=phone, ip="127.0.0.1")
        try:
            services.citizen_report_submit(phone=phone, code=_code(phone), text=text, kind=kind, region=region)
        except Invalid:  # a village the demo town does not have
            continue
        made += 1
    return f"群众随手拍：{made} 件待网格员核实（/s/ 可再报；演示短信见 /api/v1/demo/outbox?to=手机号）。"
