"""The vocabulary of cases: kinds, channels, risk colours, petition types, supervision levels,
and the kinds whose jurisdiction-wide view is confidential (DESIGN §5, §8)."""

from django.db import models

RISK_ORDER = {"blue": 0, "yellow": 1, "orange": 2, "red": 3}


class Kind(models.TextChoices):
    DISPUTE = "dispute", "矛盾纠纷"
    PETITION = "petition", "信访"
    APPEAL = "appeal", "求助/投诉/举报/建议/咨询"
    HAZARD = "hazard", "隐患"
    INCIDENT = "incident", "突发事件"
    LEGAL_SERVICE = "legal_service", "法律服务"
    LEGAL_AID = "legal_aid", "法律援助"


class Channel(models.TextChoices):
    VISIT = "visit", "来访"
    PHONE = "phone", "来电"
    LETTER = "letter", "来信"
    ONLINE = "online", "网上"
    GRID = "grid", "网格上报"
    REFERRAL = "referral", "转入"
    HOTLINE = "hotline", "热线"


class Risk(models.TextChoices):
    RED = "red", "红"
    ORANGE = "orange", "橙"
    YELLOW = "yellow", "黄"
    BLUE = "blue", "蓝"


class PetitionType(models.TextChoices):
    SUGGESTION = "suggestion", "建议意见"
    ACCUSATION = "accusation", "检举控告"
    CLAIM = "claim", "申诉求决"


class SupervisionLevel(models.IntegerChoices):
    """Overdue levels (DESIGN §6): derived from deadlines, raised by the supervisor's events."""

    NONE = 0, "正常"
    URGE = 1, "催办"
    SUPERVISE = 2, "督办"
    CENSURE = 3, "通报"


LEVEL_NAMES = {0: "none", 1: "urge", 2: "supervise", 3: "censure"}
# Kinds seen across a jurisdiction only by the centre's dispatcher, supervisor and leader
# (信访工作条例 art. 46; a divorce or legal-aid file is nobody's business on the village
# roster). Of the first receiver and the assigned units, only the seats that act on a case for
# their unit see their unit's confidential cases — the window clerk who took it, the handlers
# and mediators who work it, the grid chief who signs for the village — never a grid worker
# because their village committee received it.
CONFIDENTIAL_KINDS = frozenset({Kind.PETITION, Kind.LEGAL_SERVICE, Kind.LEGAL_AID})
CONFIDENTIAL_VIEW_ROLES = frozenset({"dispatcher", "supervisor", "leader", "zhengfa"})
# The village's legal adviser works the legal matters of the villages served (yimen.legal reaches
# them and hides everything else from the adviser).
CONFIDENTIAL_HOLDER_ROLES = frozenset({"clerk", "handler", "mediator", "gridchief", "adviser"})


class ContactChannel(models.TextChoices):
    """How a unit reached a party, in a progress note's contact record (issue 14 part 3)."""

    PHONE = "phone", "电话"
    VISIT = "visit", "上门"
    WECHAT = "wechat", "微信"
    SMS = "sms", "短信"
