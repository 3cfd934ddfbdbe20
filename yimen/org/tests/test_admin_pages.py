"""The system administrator manages users, seats and units; every change is audited."""

from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD
from yimen import settings as production
from yimen.core.models import AuditEntry, User
from yimen.org.models import Membership, Unit


def as_member(client, member):
    client.force_login(member.user)
    return member


def test_sysadmin_creates_a_user_with_a_strong_password_only(client, persona):
    as_member(client, persona("sysadmin"))
    weak = client.post(reverse("org:user_list"), {"username": "wang", "name": "王五", "password": "abcdefgh"})
    assert weak.status_code == 200
    assert "至少 3 类字符" in weak.content.decode()
    assert not User.objects.filter(username="wang").exists()
    short = client.post(reverse("org:user_list"), {"username": "wang", "name": "王五", "password": "Ab1!"})
    assert "密码太短，至少需要 8 个字符" in short.content.decode()
    ok = client.post(reverse("org:user_list"), {"username": "wang", "name": "王五", "password": "Wang@2026x"})
    assert ok.status_code == 302
    assert User.objects.get(username="wang").check_password("Wang@2026x")
    assert AuditEntry.objects.filter(action="user_create", target="user:wang", actor_username="sysadmin").exists()


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_passwords_are_stored_as_argon2(client, persona):
    as_member(client, persona("sysadmin"))
    client.post(reverse("org:user_list"), {"username": "lisi", "name": "李四", "password": "Li@2026xyz"})
    assert User.objects.get(username="lisi").password.startswith("argon2")


def test_sysadmin_grants_and_revokes_a_seat(client, persona, town):
    admin = as_member(client, persona("sysadmin"))
    worker = persona("gridworker")
    url = reverse("org:seat_grant", args=["gridworker"])
    outside = client.post(url, {"unit": worker.unit.code, "role": "gridchief", "jurisdiction": "450324106201"})
    assert outside.status_code == 422 and "须在“才湾村”之内" in outside.content.decode()
    granted = client.post(url, {"unit": worker.unit.code, "role": "gridchief", "jurisdiction": ""})
    assert granted.status_code == 302
    seat = Membership.objects.get(user=worker.user, role="gridchief", is_active=True)
    assert seat.jurisdiction.code == "450324106200"
    client.post(reverse("org:seat_revoke", args=["gridworker", seat.id]))
    seat.refresh_from_db()
    assert not seat.is_active
    assert AuditEntry.objects.filter(action="membership_revoke", unit_code=admin.unit.code).exists()


def test_disabled_account_cannot_log_in(client, persona):
    as_member(client, persona("sysadmin"))
    persona("clerk")
    client.post(reverse("org:user_active", args=["clerk"]), {"active": "false"})
    client.logout()
    response = client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 200 and not User.objects.get(username="clerk").is_active


def test_stale_unit_edit_is_refused_not_overwritten(client, persona):
    as_member(client, persona("sysadmin"))
    unit = Unit.objects.get(code__endswith="-centre")
    first = {"version": unit.version, "name": "才湾镇综治中心（新）", "phone": "0773-1", "is_active": "on"}
    assert client.post(reverse("org:unit_edit", args=[unit.code]), first).status_code == 302
    stale = {**first, "name": "旧名字"}
    response = client.post(reverse("org:unit_edit", args=[unit.code]), stale)
    assert response.status_code == 422
    assert "已被他人修改" in response.content.decode()
    assert Unit.objects.get(pk=unit.pk).name == "才湾镇综治中心（新）"


def test_only_sysadmin_manages_users_and_units(client, persona):
    unit = persona("clerk").unit
    for name in ("clerk", "dispatcher", "leader", "secadmin", "auditor"):
        as_member(client, persona(name))
        assert client.get(reverse("org:user_list")).status_code == 403, name
        assert client.get(reverse("org:unit_edit", args=[unit.code])).status_code == 403, name
