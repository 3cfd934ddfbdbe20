"""`make demo` keeps working with the second factor: the demo logins that are asked share the
demo key, and the code `manage.py demo_totp` prints signs them in."""

import re
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from yimen.demo.town import build_demo_town


def test_demo_admins_and_revealers_sign_in_with_the_printed_code(client, db):
    report = build_demo_town()
    asked = {
        "sysadmin",
        "secadmin",
        "auditor",
        "dispatcher",
        "gridchief",
        "police",
        "court",
        "judicial",
        "petition",
        "kuaijing",
    }
    assert set(report.second_factor) == asked
    assert set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)) == asked
    assert build_demo_town().second_factor == report.second_factor  # rebuilt in place: still one device each
    assert TOTPDevice.objects.count() == len(asked)

    out = StringIO()
    call_command("demo_totp", stdout=out)
    code = re.match(r"(\d{6})", out.getvalue()).group(1)
    login = client.post(reverse("login"), {"username": "secadmin", "password": settings.YIMEN_DEMO_PASSWORD})
    assert login.url == reverse("otp_verify")
    assert client.post(reverse("otp_verify"), {"code": code}).url == "/"
    assert client.get(reverse("core:security_policy")).status_code == 200
    assert client.post(reverse("login"), {"username": "clerk", "password": settings.YIMEN_DEMO_PASSWORD}).url == "/"
