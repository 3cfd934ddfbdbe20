"""Roles and what each may do. A user acts as a member of a unit with one role (DESIGN §8)."""

from django.db import models


class Role(models.TextChoices):
    CLERK = "clerk", "窗口受理员"
    DISPATCHER = "dispatcher", "派单员"
    SUPERVISOR = "supervisor", "督办员"
    LEADER = "leader", "领导"
    HANDLER = "handler", "承办人"
    MEDIATOR = "mediator", "调解员"
    GRID_CHIEF = "gridchief", "网格长"
    GRID_WORKER = "gridworker", "网格员"
    INFORMANT = "informant", "信息员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "安全审计员"


STAFF_VIEW = {"region.view", "unit.view", "map.view"}
# 三员分立: the three administrators share nothing: sysadmin runs users and units, secadmin
# the security policy, auditor reads the audit log; none of them handles cases or residents.
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CLERK: frozenset(STAFF_VIEW),
    Role.DISPATCHER: frozenset(STAFF_VIEW | {"calendar.view"}),
    Role.SUPERVISOR: frozenset(STAFF_VIEW),
    Role.LEADER: frozenset(STAFF_VIEW),
    Role.HANDLER: frozenset(STAFF_VIEW),
    Role.MEDIATOR: frozenset(STAFF_VIEW),
    Role.GRID_CHIEF: frozenset(STAFF_VIEW),
    Role.GRID_WORKER: frozenset(STAFF_VIEW),
    Role.INFORMANT: frozenset(STAFF_VIEW),
    Role.SYSADMIN: frozenset(STAFF_VIEW | {"user.manage", "unit.manage", "calendar.view", "calendar.manage"}),
    Role.SECADMIN: frozenset({"security.manage"}),
    Role.AUDITOR: frozenset({"audit.view"}),
}

# Roles whose view covers every record in their jurisdiction, not only their unit's own.
JURISDICTION_WIDE = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER, Role.GRID_CHIEF})
