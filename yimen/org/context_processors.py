"""The left menu: only what the member's role may use."""

from django.urls import reverse

# (label, url name, permission, icon glyph)
MENU = [
    ("首页", "home", None, "⌂"),
    ("受理登记", "cases:new", "case.register", "✚"),
    ("案件", "cases:list", "case.view", "☰"),
    ("督办", "cases:supervision", "case.view", "⚑"),
    ("指挥中心", "insight:dashboard", "dashboard.view", "◈"),
    ("联席会议", "insight:meetings", "dashboard.view", "⚇"),
    ("会议督办", "insight:unit_items", "meeting.answer", "✔"),
    ("每月一题", "insight:topics", "topic.view", "❂"),
    ("一表通", "insight:forms", "kpi.view", "▧"),
    ("办件用时", "insight:minutes", "kpi.view", "◷"),
    ("大屏令牌", "insight:display_tokens", "display.issue", "▭"),
    ("Open311 密钥", "citizens:open311_keys", "open311.keys", "⚷"),
    ("调解员", "mediation:roster", "mediation.view", "⚖"),
    ("调解统计", "mediation:stats", "mediation.view", "◔"),
    ("信访台账", "petitions:register", "petition.view", "✉"),
    ("村法律顾问", "legal:advisers", "unit.view", "§"),
    ("普法点单", "legal:orders", "outreach.view", "❖"),
    ("法治培训", "legal:training", "outreach.view", "✍"),
    ("区划与网格", "geo:region_root", "region.view", "▦"),
    ("网格地图", "geo:map", "map.view", "◎"),
    ("单位与人员", "org:unit_list", "unit.view", "☷"),
    ("实有人口", "people:person_list", "person.view", "☻"),
    ("网格花名册", "people:roster", "person.view", "▥"),
    ("警民联系", "people:coverage", "person.view", "☎"),
    ("十户联防", "people:defence_group_list", "person.view", "⌘"),
    ("联系清单", "people:police_worklist", "police.contact", "☑"),
    ("反诈预警", "people:alert_list", "fraud.alert", "⚡"),
    ("网格工作（手机）", "fieldwork:m_home", "fieldwork.use", "✆"),
    ("巡防与排班", "fieldwork:patrols", "fieldwork.manage", "⚐"),
    ("积分审核", "points:queue", "points.view", "✓"),
    ("户积分", "points:households", "points.view", "✦"),
    ("积分超市", "points:shop", "points.redeem", "◫"),
    ("微心愿", "points:wishes", "points.view", "❀"),
    ("村民议事", "points:meetings", "points.view", "⚯"),
    ("自治报告", "points:report", "points.view", "◕"),
    ("红黑榜", "points:board", "points.view", "★"),
    ("最美农家", "points:best", "points.view", "✿"),
    ("应急指挥", "emergency:board", "incident.view", "⚠"),
    ("快警站", "emergency:station", "lostfound.view", "✪"),
    ("风险预警", "smart:warnings", "warning.view", "◬"),
    ("视频监控", "fieldwork:cameras", "map.view", "◉"),
    ("网格员公示牌", "fieldwork:signs", "fieldwork.manage", "▣"),
    ("用户管理", "org:user_list", "user.manage", "☺"),
    ("工作日历", "core:calendar", "calendar.view", "▤"),
    ("安全策略", "core:security_policy", "security.manage", "⚙"),
    ("审计日志", "core:audit", "audit.view", "✎"),
]


def menu(request):
    member = getattr(request, "member", None)
    if member is None:
        return {"menu": []}
    items = [
        {"label": label, "url": reverse(name), "icon": icon, "active": request.path == reverse(name)}
        for label, name, perm, icon in MENU
        if perm is None or member.has_perm(perm)
    ]
    return {"menu": items, "member": member}
