"""Phone verification (issue 19 part 1): a 6-digit code by SMS, valid for YIMEN_SMS_CODE_MINUTES,
used once, five wrong tries and it is spent; sends limited per phone and per client address
(core.ratelimit's counters, 429 with a Chinese message)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.cases.models import Case, Party
from yimen.citizens.models import CitizenReport, PhoneCode
from yimen.citizens.sms import gateway
from yimen.core import audit
from yimen.core.crypto import blind_index, hmac_sm3, sm4_decrypt
from yimen.core.errors import DomainError, Invalid
from yimen.core.identity import validate_mobile
from yimen.core.ratelimit import Rule, hit

MAX_TRIES = 5
PER_PHONE = Rule("sms_phone", (), None, "YIMEN_RATE_SMS_PHONE")
PER_IP = Rule("sms_ip", (), None, "YIMEN_RATE_SMS_IP")
WRONG_CODE = "验证码错误或已过期，请重新获取。"
TOO_MANY_TRIES = f"验证码已输错 {MAX_TRIES} 次，已失效，请重新获取。"


class TooMany(DomainError):
    status = 429
    code = "rate_limited"


def _digest(code: str) -> str:
    return hmac_sm3(settings.SECRET_KEY.encode(), code.encode())


def clean_mobile(phone: str) -> str:
    try:
        return validate_mobile(phone or "")
    except ValidationError as exc:
        raise Invalid("手机号有误。", errors={"phone": [exc.messages[0]]}) from None


def _limit(phone_index: str, ip: str) -> None:
    for rule, ident in ((PER_PHONE, phone_index), (PER_IP, ip)):
        wait = hit(rule, ident)
        if wait:
            raise TooMany(f"获取验证码过于频繁，请 {wait} 秒后再试。")


def _issue(phone: str, purpose: str, case: Case | None, ip: str, text: str) -> None:
    index = blind_index(phone)
    _limit(index, ip)
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = settings.YIMEN_SMS_CODE_MINUTES
    PhoneCode.objects.create(
        phone_index=index,
        purpose=purpose,
        case=case,
        code_digest=_digest(code),
        expires_at=timezone.now() + timedelta(minutes=minutes),
    )
    receipt = gateway().send(phone, f"【一门】{text}验证码 {code}，{minutes} 分钟内有效。如非本人操作请忽略。")
    audit.record(
        action="citizen_code",
        ip=ip,
        target=f"case:{case.code}" if case else "",
        detail={"purpose": purpose, "receipt": receipt},
    )


@transaction.atomic
def code_send(*, phone: str, ip: str) -> None:
    """随手拍 verification: a fresh code to the phone the citizen typed (issue 19 part 1), sends
    limited per phone and per address."""
    _issue(clean_mobile(phone), PhoneCode.Purpose.REPORT, None, ip, "您正在随手拍反映问题，")


@transaction.atomic
def rating_code_send(*, case: Case, ip: str) -> None:
    """The rating's code goes to the applicant's own phone, never named to the caller: staff see
    the last 4 digits, so only the code proves the citizen (issue 19 part 3). A case grown from
    a 随手拍 report goes to the phone that filed it."""
    citizen = CitizenReport.objects.filter(report__case=case).exclude(phone_cipher="").only("phone_cipher").first()
    party = citizen or Party.objects.filter(case=case, role=Party.Role.APPLICANT).exclude(phone_cipher="").first()
    if party is None:
        raise Invalid(
            "该案件没有登记手机号，无法发送验证码；请致电综治中心回访评价。", errors={"phone": ["未登记手机号。"]}
        )
    phone = sm4_decrypt(party.phone_cipher)
    if not phone.startswith("1"):  # a landline gets no SMS
        raise Invalid("登记的是固定电话，无法发送短信；请致电综治中心回访评价。", errors={"phone": ["非手机号。"]})
    _issue(phone, PhoneCode.Purpose.CASE, case, ip, f"您正在评价或补充案件 {case.code}，")


def _count_try(pk: int) -> None:
    """A wrong code is a try spent, refused request or not: run as the refusal's aftermath
    (core.errors.settle), after the refused transaction rolled back, so the count stays."""
    PhoneCode.objects.filter(pk=pk).update(tries=F("tries") + 1)


def code_use(*, phone_index: str, code: str, purpose: str, case: Case | None = None) -> None:
    """Spend the newest live code of this phone (or case) and purpose; a wrong, used or expired
    code → 422, and after MAX_TRIES wrong ones → 429 even with the right code (issue 19 part 1).
    Call inside the caller's transaction, so a refused action keeps the code; the wrong try is
    counted by the refusal's aftermath, outside that transaction (core.errors.settle)."""
    rows = PhoneCode.objects.select_for_update().filter(purpose=purpose, used_at=None, expires_at__gt=timezone.now())
    rows = rows.filter(case=case) if case is not None else rows.filter(phone_index=phone_index)
    row = rows.order_by("-id").first()
    if row is None:
        raise Invalid(WRONG_CODE, errors={"code": [WRONG_CODE]})
    if row.tries >= MAX_TRIES:
        raise TooMany(TOO_MANY_TRIES, errors={"code": [TOO_MANY_TRIES]})
    if not (isinstance(code, str) and secrets.compare_digest(row.code_digest, _digest(code.strip()))):
        raise Invalid(WRONG_CODE, errors={"code": [WRONG_CODE]}, aftermath=lambda: _count_try(row.pk))
    PhoneCode.objects.filter(pk=row.pk).update(used_at=timezone.now())


def rating_code_check(case: Case, code: str) -> None:
    """cases' public-rating check: the code sent for this case to its applicant's phone."""
    code_use(phone_index="", code=code, purpose=PhoneCode.Purpose.CASE, case=case)
