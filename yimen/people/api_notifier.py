"""API: the notifier gateway's delivery report for anti-fraud alerts (issue 15 part 6). No login:
the gateway signs the raw body with a shared secret, HMAC-SM3 over the exact bytes it sends, in
the header `X-Yimen-Signature: sm3=<hex>`. The secret is derived from the instance's own secret
key (environment or the generated local file, never the repository); `manage.py
notifier_callback_secret` prints it for the gateway's configuration. A bad or missing signature
→ 403, an unknown receipt → 404, both in the API's error shape."""

import hmac
from typing import Literal

from django.conf import settings
from ninja import Field, Header, Router, Schema

from yimen.core.crypto import hmac_sm3
from yimen.core.errors import NotAllowed
from yimen.core.schemas import ERRORS
from yimen.people import police
from yimen.people.api import NO_NUL, Text

router = Router(tags=["反诈预警"])
PREFIX = "sm3="


def callback_secret() -> bytes:
    """The shared secret: a key of its own purpose derived from SECRET_KEY (rotating that key
    rotates this one; the gateway is then given the new value)."""
    return bytes.fromhex(hmac_sm3(settings.SECRET_KEY.encode(), b"yimen-notifier-callback"))


def sign(body: bytes) -> str:
    return PREFIX + hmac_sm3(callback_secret(), body)


def _check_signature(body: bytes, given: str) -> None:
    if not hmac.compare_digest(sign(body).encode(), (given or "").strip().encode()):
        raise NotAllowed("回执签名无效。", code="bad_signature")


class CallbackIn(Schema):
    receipt: Text = Field(..., min_length=1, max_length=100, pattern=NO_NUL, description="send() 返回的回执")
    status: Literal["delivered", "failed", "acknowledged"]
    reason: Text = Field("", max_length=100, pattern=NO_NUL, description="未送达的原因（failed 时）")


class CallbackOut(Schema):
    changed: bool = Field(description="false：此前已报告过（网关重试）")


SIGNATURE = Header("", alias="X-Yimen-Signature", max_length=200, description="sm3=<HMAC-SM3(共享密钥, 原始请求体)>")


@router.post(
    "/notifier/callback",
    auth=None,
    response={200: CallbackOut, **ERRORS},
    summary="短信网关送达回执（签名）",
)
def notifier_callback(request, payload: CallbackIn, signature: str = SIGNATURE):
    _check_signature(request.body, signature)
    changed = police.alert_delivery_report(receipt=payload.receipt, status=payload.status, reason=payload.reason)
    return {"changed": changed}
