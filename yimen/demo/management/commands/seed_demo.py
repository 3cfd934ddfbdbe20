import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand

from yimen.cases.demo import build_demo_cases
from yimen.cases.demo.whistles import build_demo_whistles
from yimen.demo.town import TOWN_CODE, build_demo_town
from yimen.geo.models import Region
from yimen.people.demo import build_demo_residents

LATER_APPS = ("mediation", "petitions", "legal", "fieldwork", "points", "emergency", "smart", "citizens", "insight")


class Command(BaseCommand):
    help = "建立演示乡镇 才湾镇（全州县）：区划、网格、单位、人员、实有人口与演示账号。可重复执行。"

    def handle(self, *args, **options):
        report = build_demo_town()
        self.stdout.write(f"才湾镇：区划与网格 {report.regions} 个，单位 {report.units} 个，人员 {report.staff} 名。")
        residents = build_demo_residents(town=Region.objects.get(code=TOWN_CODE))
        built = "（已有，未重建）" if residents.skipped else f"，用时 {residents.seconds:.1f} 秒"
        self.stdout.write(
            f"实有人口：{residents.households} 户 {residents.persons} 人，有标签 {residents.tagged} 人，"
            f"警民联系覆盖 {residents.contact_rate:.1%}，十户联防组 {residents.groups} 个，"
            f"巡防队员 {residents.patrol} 名{built}。"
        )
        cases = build_demo_cases()
        built = "（已有，未重建）" if cases.skipped else f"，用时 {cases.seconds:.1f} 秒"
        self.stdout.write(f"案件：{cases.cases} 件（一年，各类各状态）{built}。")
        self.stdout.write(build_demo_whistles())
        # Later apps build their demo on top of the cases: each yimen/<app>/demo.py has
        # build_demo() -> one line for this report (idempotent, like the builders above).
        for app in LATER_APPS:
            if importlib.util.find_spec(f"yimen.{app}.demo"):
                self.stdout.write(importlib.import_module(f"yimen.{app}.demo").build_demo())
        self.stdout.write(f"演示账号（密码均为 YIMEN_DEMO_PASSWORD，默认 {settings.YIMEN_DEMO_PASSWORD}）：")
        for username, name, seat in report.logins:
            mark = "*" if username in report.second_factor else " "
            self.stdout.write(f" {mark}{username:<12} {name:<4}  {seat}")
        self.stdout.write(
            f"标 * 的账号登录时还须输入动态口令：在手机身份验证器中添加密钥 {settings.YIMEN_DEMO_TOTP_SECRET}"
            "（基于时间，30 秒，6 位），或运行 python manage.py demo_totp 查看当前口令。"
        )
