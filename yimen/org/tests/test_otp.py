"""The second factor (动态口令, 等保2.0 level 3 身份鉴别): who is asked, enrolment with recovery codes
shown once, the code at each sign-in, wrong codes throttled and locked, recovery codes used up,
the secadmin's switch, the API token's `otp`, the sysadmin's reset, and the audit of each."""

import base64
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, PERSONAS
from tests.factories import totp_now
from yimen.core import services as core_services
from yimen.core.models import AuditEntry
from yimen.core.security import current_policy
from yimen.org import otp
from yimen.org.roles import needs_second_factor

TOKEN = "/api/v1/auth/token"


def sign_in(client, username: str, next_url: str = "/"):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD, "next": next_url})


def give_code(client, code: str):
    return client.post(reverse("otp_verify"), {"code": code})


def not_the(code: str) -> str:
    """A code that is surely wrong now: the right one, shifted by one."""
    return f"{(int(code) + 1) % 10**6:06d}"


def audit_results(username: str, action: str) -> list[str]:
    return list(AuditEntry.objects.filter(actor_username=username, action=action).values_list("result", flat=True))


def test_the_three_admins_and_every_revealing_seat_need_the_second_factor(persona):
    seats = {name: persona(name) for name in PERSONAS}
    asked = {name for name, seat in seats.items() if needs_second_factor(seat.role, seat.unit.kind)}
    assert asked == {
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


def test_first_sign_in_enrols_with_a_qr_code_and_shows_recovery_codes_once(client, persona):
    persona("sysadmin")
    assert sign_in(client, "sysadmin").url == reverse("otp_verify")
    assert client.get(reverse("otp_verify")).url == reverse("otp_enrol")
    page = client.get(reverse("otp_enrol")).content.decode()
    assert "绑定动态口令" in page and 'src="data:image/svg+xml' in page
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert client.get(reverse("org:user_list")).status_code == 302  # not yet

    wrong = client.post(reverse("otp_enrol"), {"code": not_the(f"{TOTP(base64.b32decode(secret)).token():06d}")})
    assert wrong.status_code == 422 and "动态口令不正确" in wrong.content.decode()
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=2)):  # past the wait after a miss
        code = f"{TOTP(base64.b32decode(secret)).token():06d}"
        shown = client.post(reverse("otp_enrol"), {"code": code})
        assert shown.status_code == 200
        codes = re.findall(r"<li>([a-z2-7]{8})</li>", shown.content.decode())
        assert len(codes) == otp.RECOVERY_CODES == len(set(codes))
        assert client.get(reverse("org:user_list")).status_code == 200
        assert client.get(reverse("otp_enrol")).url == "/"  # the codes are not shown again
    assert audit_results("sysadmin", "otp_enrol") == ["failure", "success"]
    assert audit_results("sysadmin", "otp_enrol_begin") == ["success"]


def test_until_the_code_is_given_pages_redirect_and_the_api_refuses(client, persona):
    persona("police")
    totp_now("police")
    sign_in(client, "police")
    assert client.get(reverse("people:person_list")).url == reverse("otp_verify")
    assert client.get(reverse("people:person_list"), headers={"HX-Request": "true"})["HX-Redirect"] == "/accounts/otp/"
    refused = client.get("/api/v1/units")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "请先完成动态口令验证。", "code": "otp_required", "errors": {}}
    assert client.post(reverse("logout")).url == reverse("login")
    assert client.get(reverse("people:person_list")).url.startswith(reverse("login"))


def test_the_right_code_opens_the_session_where_the_password_step_was_going(client, persona):
    persona("police")
    totp_now("police")
    sign_in(client, "police", next_url="/units/")
    page = client.get(reverse("otp_verify"))
    assert "第二步：动态口令" in page.content.decode()
    response = give_code(client, totp_now("police"))
    assert response.status_code == 302 and response.url == "/units/"
    assert client.get(reverse("people:person_list")).status_code == 200
    assert audit_results("police", "otp_verify") == ["success"]


def test_a_wrong_code_is_refused_in_chinese_and_audited(client, persona):
    persona("police")
    wrong = not_the(totp_now("police"))
    sign_in(client, "police")
    response = give_code(client, wrong)
    assert response.status_code == 422 and "动态口令或恢复码不正确" in response.content.decode()
    assert client.get(reverse("people:person_list")).url == reverse("otp_verify")
    entry = AuditEntry.objects.get(actor_username="police", action="otp_verify")
    assert entry.result == "failure" and entry.detail["reason"] == "bad_totp"


def test_wrong_codes_are_throttled_then_lock_the_second_step(client, persona):
    persona("police")
    sign_in(client, "police")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert give_code(client, not_the(totp_now("police"))).status_code == 422
        hurried = give_code(client, not_the(totp_now("police")))  # django-otp waits 1 s after a miss, then 2, 4...
        assert hurried.status_code == 423 and "秒后再试" in hurried.content.decode()
    elapsed = 0
    for miss in range(1, 5):  # misses 2–5, each once the wait has passed
        elapsed += 2**miss
        with time_machine.travel(start + timezone.timedelta(seconds=elapsed), tick=False):
            assert give_code(client, not_the(totp_now("police"))).status_code == 422
    elapsed += 60
    with time_machine.travel(start + timezone.timedelta(seconds=elapsed), tick=False):
        locked = give_code(client, totp_now("police"))  # even the right code, while locked
        assert locked.status_code == 423 and "连续错误 5 次" in locked.content.decode()
    with time_machine.travel(start + timezone.timedelta(seconds=elapsed, minutes=15), tick=False):
        assert give_code(client, totp_now("police")).status_code == 302
    results = audit_results("police", "otp_verify")
    assert results.count("failure") == 7 and results[-1] == "success"  # 5 misses, the hurried try, the lock


def test_a_recovery_code_signs_in_once(client, persona):
    police = persona("police")
    device = otp.otp_enrol_begin(user=police.user, ip="")
    codes = otp.otp_enrol_confirm(user=police.user, code=f"{TOTP(device.bin_key).token():06d}", ip="")
    sign_in(client, "police")
    used = give_code(client, codes[0].upper()[:4] + " " + codes[0].upper()[4:])  # as typed from paper
    assert used.status_code == 302
    assert f"还剩 {otp.RECOVERY_CODES - 1} 个" in client.get("/").content.decode()
    client.post(reverse("logout"))
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=2)):
        sign_in(client, "police")
        assert give_code(client, codes[0]).status_code == 422  # used up
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5)):
        assert give_code(client, codes[1]).status_code == 302
    assert StaticToken.objects.filter(device__user=police.user).count() == otp.RECOVERY_CODES - 2
    entries = AuditEntry.objects.filter(actor_username="police", action="otp_recovery_used")
    assert [e.detail["left"] for e in entries] == [otp.RECOVERY_CODES - 1, otp.RECOVERY_CODES - 2]


def test_with_the_policy_off_nobody_is_asked(client, persona):
    core_services.security_policy_update(actor=persona("secadmin"), version=1, totp_required=False)
    persona("police")
    assert sign_in(client, "police").url == "/"
    assert client.get(reverse("people:person_list")).status_code == 200
    assert client.post(TOKEN, {"username": "police", "password": PASSWORD}, "application/json").status_code == 200
    entry = AuditEntry.objects.get(action="security_policy_update")
    assert entry.detail["changed"] == {"totp_required": [True, False]}


def test_roles_without_reveal_are_not_asked(client, persona):
    persona("clerk")
    assert sign_in(client, "clerk").url == "/"
    assert client.post(TOKEN, {"username": "clerk", "password": PASSWORD}, "application/json").status_code == 200


def test_api_token_needs_the_otp_field(client, persona):
    persona("dispatcher")
    body = {"username": "dispatcher", "password": PASSWORD}
    not_enrolled = client.post(TOKEN, {**body, "otp": "123456"}, "application/json")
    assert not_enrolled.status_code == 403 and not_enrolled.json()["code"] == "otp_not_enrolled"
    code = totp_now("dispatcher")
    missing = client.post(TOKEN, body, "application/json")
    assert missing.status_code == 401 and missing.json()["code"] == "otp_required"
    assert "动态口令" in missing.json()["detail"]
    wrong = client.post(TOKEN, {**body, "otp": not_the(code)}, "application/json")
    assert wrong.status_code == 401 and wrong.json()["code"] == "bad_otp"
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=2)):
        issued = client.post(TOKEN, {**body, "otp": totp_now("dispatcher")}, "application/json")
        assert issued.status_code == 200
        headers = {"Authorization": f"Bearer {issued.json()['token']}"}
        assert client.get("/api/v1/units", headers=headers).status_code == 200
    assert audit_results("dispatcher", "otp_verify") == ["failure", "success"]
    assert AuditEntry.objects.filter(action="otp_verify", detail__purpose="token").count() == 2


def test_a_token_issued_without_the_second_factor_stops_when_the_policy_turns_on(client, persona):
    secadmin = persona("secadmin")
    core_services.security_policy_update(actor=secadmin, version=1, totp_required=False)
    persona("police")
    token = client.post(TOKEN, {"username": "police", "password": PASSWORD}, "application/json").json()["token"]
    core_services.security_policy_update(actor=secadmin, version=2, totp_required=True)
    refused = client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403 and refused.json()["code"] == "otp_required"


def test_the_sysadmin_resets_a_lost_phone_and_the_user_enrols_again(client, persona):
    sysadmin, police = persona("sysadmin"), persona("police")
    lost_phone_token = {"Authorization": f"Bearer {token_for(client, 'police')}"}
    client.force_login(persona("secadmin").user)
    assert client.post(reverse("org:user_otp_reset", args=["police"])).status_code == 403  # 三员分立
    client.force_login(sysadmin.user)
    assert "已绑定" in client.get(reverse("org:user_detail", args=["police"])).content.decode()
    response = client.post(reverse("org:user_otp_reset", args=["police"]), follow=True)
    assert "已重置" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=police.user).exists()
    assert AuditEntry.objects.get(action="otp_reset").target == "user:police"
    assert client.get("/api/v1/units", headers=lost_phone_token).status_code == 401  # ends with the phone
    client.logout()
    sign_in(client, "police")
    assert client.get(reverse("otp_verify")).url == reverse("otp_enrol")


def test_the_secadmin_switches_the_policy_on_the_page_and_in_the_api(client, persona):
    secadmin = persona("secadmin")
    client.force_login(secadmin.user)
    page = client.get(reverse("core:security_policy")).content.decode()
    assert "须使用动态口令" in page and re.search(r'name="totp_required"[^>]*checked', page)
    values = {"failure_limit": 5, "lockout_minutes": 15, "session_idle_minutes": 30, "token_hours": 8}
    assert client.post(reverse("core:security_policy"), {**values, "version": 1}).status_code == 302
    assert current_policy(fresh=True).totp_required is False
    headers = {"Authorization": f"Bearer {token_for(client, 'secadmin')}"}
    assert client.get("/api/v1/security/policy", headers=headers).json()["totp_required"] is False
    put = client.put("/api/v1/security/policy", {**values, "version": 2}, "application/json", headers=headers)
    assert put.status_code == 200 and put.json()["totp_required"] is False  # left out: unchanged
    on = client.put(
        "/api/v1/security/policy", {**values, "version": 2, "totp_required": True}, "application/json", headers=headers
    )
    assert on.json()["totp_required"] is True and on.json()["version"] == 3


def token_for(client, username: str) -> str:
    body = {"username": username, "password": PASSWORD, "otp": totp_now(username)}
    return client.post(TOKEN, body, "application/json").json()["token"]


@pytest.mark.parametrize("name", ["auditor", "gridchief"])
def test_each_asked_role_is_stopped_at_the_second_step(client, persona, name):
    persona(name)
    totp_now(name)
    assert sign_in(client, name).url == reverse("otp_verify")
    assert client.get("/").url == reverse("otp_verify")


def test_switching_the_policy_on_sends_open_sessions_to_the_second_step(client, persona):
    secadmin = persona("secadmin")
    core_services.security_policy_update(actor=secadmin, version=1, totp_required=False)
    persona("police")
    totp_now("police")
    sign_in(client, "police")
    assert client.get(reverse("people:person_list")).status_code == 200
    core_services.security_policy_update(actor=secadmin, version=2, totp_required=True)
    assert client.get(reverse("people:person_list")).url == reverse("otp_verify")
