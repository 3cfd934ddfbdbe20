"""Reads for the citizens' doors: no login, so every read is by a secret (a token) or by what only
the citizen knows together (the case code and the last 4 digits of the applicant's phone)."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from yimen.cases import selectors as case_selectors
from yimen.cases.models import Case, Party
from yimen.citizens.models import CitizenReport, Open311Key, SmsMessage
from yimen.core.crypto import blind_index


def case_by_code(*, code: str, phone_last4: str) -> Case:
    """查询: the case whose applicant's phone ends in these 4 digits; a wrong pair → 404 that never
    says whether the code exists."""
    if not (len(phone_last4) == 4 and phone_last4.isdigit()) or "\x00" in code or len(code) > 40:
        raise Http404
    applicant = Party.objects.filter(
        case__code=code, role=Party.Role.APPLICANT, phone_masked__endswith=phone_last4
    ).values("case_id")[:1]
    # A case grown from a 随手拍 report: the phone that filed it.
    reporter = CitizenReport.objects.filter(report__case__code=code, phone_masked__endswith=phone_last4)
    found = case_selectors.public_case_base().filter(Q(pk__in=applicant) | Q(pk__in=reporter.values("report__case_id")))
    return get_object_or_404(found)


def answer(*, case: Case) -> str:
    """The unit's answer in its own words, shown once the case is closed (reviewed and released)."""
    return case_selectors.public_answer(case=case)


def citizen_report_get(*, token: str) -> CitizenReport:
    if "\x00" in token or len(token) > 32:
        raise Http404
    return get_object_or_404(CitizenReport.objects.select_related("report", "report__case"), public_token=token)


def outbox(*, phone: str) -> list[SmsMessage]:
    return list(SmsMessage.objects.filter(to_phone_index=blind_index(phone))[:20])


def open311_keys() -> QuerySet[Open311Key]:
    """Every Open311 key the centre issued, newest first, with its issuer (the keys page)."""
    return Open311Key.objects.select_related("issued_by").order_by("-id")
