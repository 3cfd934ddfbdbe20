"""The starting 排餐 menu (才湾镇's seed: talks prepared to the residents' season and needs);
administrators edit it afterwards, so it is data, not code."""

from django.db import migrations

MENU = [
    (
        "农村土地承包经营权与宅基地权益",
        "spring",
        "农户",
        "春耕前讲土地流转合同、承包期延长、宅基地审批与边界纠纷的化解。",
    ),
    (
        "防范电信网络诈骗与养老诈骗",
        "all",
        "老年人",
        "以本镇真实案例讲冒充公检法、保健品、以房养老等骗局，教会“三不一多”。",
    ),
    (
        "未成年人保护与防溺水、防欺凌",
        "summer",
        "学生与家长",
        "暑假前讲未成年人保护法、监护责任、防溺水与校园欺凌的求助途径。",
    ),
    ("婚姻家庭与反家庭暴力", "all", "妇女与家庭", "讲离婚财产与抚养、家庭暴力告诫书与人身安全保护令的申请途径。"),
    (
        "农民工工资支付与工伤维权",
        "winter",
        "外出务工人员",
        "春节返乡前讲欠薪投诉、劳动仲裁、工伤认定与法律援助免审查情形。",
    ),
    ("邻里纠纷与人民调解", "autumn", "村民", "秋收后讲相邻关系、林木与用水纠纷，人民调解协议与司法确认的效力。"),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("legal", "OutreachTopic")
    for title, season, audience, summary in MENU:
        Topic.objects.get_or_create(title=title, defaults={"season": season, "audience": audience, "summary": summary})


def unseed(apps, schema_editor):
    apps.get_model("legal", "OutreachTopic").objects.filter(title__in=[row[0] for row in MENU]).delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0003_outreach")]

    operations = [migrations.RunPython(seed, unseed)]
