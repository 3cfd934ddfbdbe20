"""Roles and what each may do. A user acts as a member of a unit with one role (DESIGN §8)."""

from django.db import models


class Role(models.TextChoices):
    CLERK = "clerk", "窗口受理员"
    DISPATCHER = "dispatcher", "派单员"
    SUPERVISOR = "supervisor", "督办员"
    LEADER = "leader", "领导"
    ZHENGFA = "zhengfa", "政法委员"
    HANDLER = "handler", "承办人"
    MEDIATOR = "mediator", "调解员"
    GRID_CHIEF = "gridchief", "网格长"
    GRID_WORKER = "gridworker", "网格员"
    INFORMANT = "informant", "信息员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "安全审计员"
    # 一村一法律顾问: a lawyer or legal worker serving villages for the judicial office (issue 18).
    ADVISER = "adviser", "法律顾问"
    # The 应急办's duty officer: a unit's handler who also runs the 应急指挥部 (issue 17).
    DUTY_OFFICER = "duty_officer", "应急值班员"


STAFF_VIEW = {"region.view", "unit.view", "map.view"}
# Working with residents (实有人口) and cases; the grid roles see only their own area (jurisdiction).
REGISTRY = {"person.view", "person.note"}
CASEWORK = {"case.view"}
INTAKE = {"case.register", "camera.cite"}
DISPATCH = {
    "case.accept",
    "case.decline",
    "case.dispatch",
    "case.redispatch",
    "case.merge",
    "case.refer",
    "case.review",
    "case.close",
    "case.follow_up",
    "case.archive",
    "case.raise_risk",
    "case.release",
}
# A unit's work on a case assigned to it (issue 14): what the grid chief also does for the village.
UNIT_WORK = {"case.sign", "case.dispute", "case.reply", "case.extend", "case.note", "camera.cite"}
HANDLING = UNIT_WORK | {"case.raise_risk"}
# 首接负责 (issue 14): every unit's handler registers what reaches its door, and takes it itself
# where the catalogue makes that unit the lead.
FIRST_DOOR = INTAKE | {"case.take"}
SUPERVISION = {"case.urge", "case.supervise", "case.censure", "case.raise_risk"}
# API.md: reveal of ID numbers and phones for police, court, judicial, petition, dispatcher and
# gridchief only; sensitive tags (社区矫正, 严重精神障碍, 重点信访, 吸毒) to the same people.
REVEAL = {"person.reveal", "person.sensitive_tags"}

# Mediation (三调联动): the lead unit's handler or mediator records sessions and agreements;
# the centre and the judicial office keep the mediator roster.
MEDIATION_RECORD = {"mediation.view", "mediation.record"}
# 司法确认 is the court's act (人民调解法 art. 33): only a court's own handler records its steps.
COURT_CONFIRM = {"court.confirm"}
# Grid work on the phone (/m/): reports, visits, checks and patrols in one's own grid.
FIELDWORK = {"fieldwork.use"}
# 积分制 (issue 16): grid workers and chiefs propose; the village committee (and the grid chief,
# never on his own proposal) approves, runs the 积分超市 and records red-board consent.
POINTS_PROPOSE = {"points.view", "points.propose"}
POINTS_VILLAGE = {"points.view", "points.approve", "points.redeem"}
# The command centre: dashboard, KPIs, joint meetings (the centre and leaders, by jurisdiction).
INSIGHT = {"dashboard.view", "kpi.view", "meeting.view"}
# A unit's part in the joint meetings (issue 20 part 3): read the meetings it is invited to and
# the items it owns, answer those items, and read a 会商's case file while the session runs.
MEETING_WORK = {"meeting.view", "meeting.answer"}
# 每月一题 (issue 20 part 1): the centre's dispatcher and the leaders read the month's topics;
# a leader turns one into a governance project.
TOPICS = {"topic.view"}

# 应急指挥 (issue 17): the command roles declare and task; every unit's handler works its tasks.
INCIDENT_COMMAND = {"incident.view", "incident.declare", "incident.task"}
INCIDENT_WORK = {"incident.view", "incident.task"}
# 快警站 lost and found and missing persons: police handlers record; the centre reads.
LOSTFOUND_RECORD = {"lostfound.view", "lostfound.record"}
# 隆回微警 (issue 15 parts 5, 6): the police station's officers record their contacts with
# residents and send anti-fraud alerts (反诈预警) to those contacts.
POLICE_CONTACT = {"police.contact", "fraud.alert"}
# 十户联防 groups (issue 15 part 4): formed and kept by the grid staff in their own area and by
# the centre's clerk and dispatcher for the town.
DEFENCE = {"defence.manage"}
# 雪亮工程 camera points (issue 15 part 4): kept by the centre, the grid chiefs and the police
# station that runs the video network; whoever registers or works a case may cite the cameras near
# it ("camera.cite" in INTAKE and UNIT_WORK).
CAMERAS = {"camera.manage"}

# 智能受理 (issue 23): the seats that see duplicates link related cases; the early-warning board
# is the supervisors' (and the centre's, the leaders'), and a warning is dismissed with a reason.
SMART_LINK = {"case.link"}
WARNING_BOARD = {"warning.view"}
WARNING_DISMISS = {"warning.view", "warning.dismiss"}

# 三员分立: the three administrators share nothing: sysadmin runs users and units, secadmin
# the security policy, auditor reads the audit log; none of them handles cases or residents.
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CLERK: frozenset(
        STAFF_VIEW
        | REGISTRY
        | CASEWORK
        | INTAKE
        | {"case.accept", "case.decline", "case.close", "case.follow_up", "case.note", "person.import", "person.export"}
        | {"mediation.view"}
        | DEFENCE
        | SMART_LINK
    ),
    Role.DISPATCHER: frozenset(
        STAFF_VIEW
        | REGISTRY
        | CASEWORK
        | INTAKE
        | DISPATCH
        | REVEAL
        | INSIGHT
        | {"case.note"}
        | {"mediation.view", "mediator.manage", "fieldwork.manage", "meeting.manage"}
        | {"calendar.view", "person.import", "person.export", "case.export", "catalogue.manage"}
        | {"case.whistle"}
        | {"case.report_upward"}  # 洞井: the red case's report to the county
        | {"open311.keys"}  # Open311 api_key for partner platforms (issue 19 part 5)
        | INCIDENT_COMMAND
        | DEFENCE
        | CAMERAS
        | TOPICS
        | SMART_LINK
        | WARNING_DISMISS
    ),
    Role.SUPERVISOR: frozenset(
        STAFF_VIEW
        | CASEWORK
        | SUPERVISION
        | INSIGHT
        | {"person.view", "case.export", "mediation.view"}
        | WARNING_DISMISS
    ),
    Role.LEADER: frozenset(
        STAFF_VIEW
        | CASEWORK
        | INSIGHT
        | {"person.view", "person.export", "case.export", "mediation.view", "meeting.manage"}
        | {"display.issue"}  # read-only display grants for the hall's big screen
        | {"open311.keys"}  # Open311 api_key for partner platforms (issue 19 part 5)
        | {"case.report_upward"}  # 洞井: the red case's report to the county
        | INCIDENT_COMMAND
        | TOPICS
        | {"topic.manage"}
        | WARNING_BOARD
    ),
    # 镇党委政法委员: reads what the leader reads and blows the whistle (吹哨报到, issue 14 part 5).
    Role.ZHENGFA: frozenset(
        STAFF_VIEW
        | CASEWORK
        | INSIGHT
        | {"person.view", "mediation.view", "meeting.manage", "case.whistle"}
        | INCIDENT_COMMAND
        | WARNING_BOARD
    ),
    Role.HANDLER: frozenset(
        STAFF_VIEW | REGISTRY | CASEWORK | FIRST_DOOR | HANDLING | MEDIATION_RECORD | INCIDENT_WORK | MEETING_WORK
    ),
    Role.MEDIATOR: frozenset(STAFF_VIEW | CASEWORK | HANDLING | MEDIATION_RECORD | {"person.view"} | MEETING_WORK),
    # An outside lawyer serving villages for the judicial office (issue 18): not the office's
    # staff, so none of the office's cases by seat; the legal app gives what the adviser serves
    # (the legal matters of their villages), which they sign for, answer and note.
    Role.ADVISER: frozenset(
        STAFF_VIEW | CASEWORK | {"case.sign", "case.reply", "case.note", "outreach.view", "outreach.deliver"}
    ),
    Role.DUTY_OFFICER: frozenset(
        STAFF_VIEW | REGISTRY | CASEWORK | FIRST_DOOR | HANDLING | INCIDENT_COMMAND | MEETING_WORK
    ),
    Role.GRID_CHIEF: frozenset(
        STAFF_VIEW
        | REGISTRY
        | CASEWORK
        | FIRST_DOOR
        | UNIT_WORK
        | REVEAL
        | FIELDWORK
        | INSIGHT
        | {"person.export", "fieldwork.manage"}
        | POINTS_PROPOSE
        | POINTS_VILLAGE
        | {"outreach.view", "outreach.order"}  # 点餐 (issue 18 part 3)
        | INCIDENT_WORK  # leads the village's searchers on an incident task, reports from the phone
        | MEETING_WORK  # answers for the village committee what a joint meeting gave it
        | DEFENCE
        | CAMERAS
    ),
    Role.GRID_WORKER: frozenset(STAFF_VIEW | REGISTRY | CASEWORK | INTAKE | FIELDWORK | POINTS_PROPOSE | DEFENCE),
    Role.INFORMANT: frozenset(STAFF_VIEW | REGISTRY | FIELDWORK),
    Role.SYSADMIN: frozenset(
        STAFF_VIEW | {"user.manage", "unit.manage", "region.manage", "calendar.view", "calendar.manage"}
    ),
    Role.SECADMIN: frozenset({"security.manage"}),
    Role.AUDITOR: frozenset({"audit.view"}),
}

# What a role gains in a particular kind of unit: the petition office handles petitions, and
# the handlers of the police station, court, judicial office and petition office may reveal.
UNIT_KIND_PERMISSIONS: dict[tuple[str, str], frozenset[str]] = {
    (Role.HANDLER, "police"): frozenset(REVEAL | LOSTFOUND_RECORD | POLICE_CONTACT | CAMERAS),
    (Role.HANDLER, "court"): frozenset(REVEAL | COURT_CONFIRM),
    # 法律援助 (issue 18): the judicial office acts as the legal-aid body's window in the town.
    # 点餐 is scheduled by the town: the judicial office or the centre (issue 18 part 3).
    (Role.HANDLER, "judicial"): frozenset(
        REVEAL | {"mediator.manage", "legal_aid.decide", "outreach.view", "outreach.deliver", "outreach.schedule"}
    ),
    (Role.HANDLER, "petition"): frozenset(REVEAL | {"petition.view", "petition.handle"}),
    (Role.HANDLER, "village"): frozenset(POINTS_VILLAGE | {"outreach.view", "outreach.order"}),
    (Role.DISPATCHER, "centre"): frozenset(
        {"petition.view", "petition.handle", "lostfound.view", "outreach.view", "outreach.schedule"}
    ),
    (Role.SUPERVISOR, "centre"): frozenset({"petition.view", "lostfound.view"}),
    (Role.LEADER, "centre"): frozenset({"petition.view", "lostfound.view"}),
    (Role.ZHENGFA, "centre"): frozenset({"petition.view", "lostfound.view"}),
}

# Roles whose view covers every record in their jurisdiction, not only their unit's own.
JURISDICTION_WIDE = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER, Role.GRID_CHIEF, Role.ZHENGFA})


def permissions_for(role: str, unit_kind: str) -> frozenset[str]:
    return PERMISSIONS.get(role, frozenset()) | UNIT_KIND_PERMISSIONS.get((role, unit_kind), frozenset())


# 等保2.0 level 3 (身份鉴别) and DESIGN §3: the three administrators and every seat that may reveal
# ID numbers and phones also sign in with a TOTP code, when the security policy says so.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


def needs_second_factor(role: str, unit_kind: str) -> bool:
    return role in ADMIN_ROLES or "person.reveal" in permissions_for(role, unit_kind)
