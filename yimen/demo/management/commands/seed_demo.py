from django.conf import settings
from django.core.management.base import BaseCommand

from yimen.demo.town import build_demo_town


class Command(BaseCommand):
    help = "建立演示乡镇 才湾镇（全州县）：区划、网格、单位、人员与演示账号。可重复执行。"

    def handle(self, *args, **options):
        report = build_demo_town()
        self.stdout.write(f"才湾镇：区划与网格 {report.regions} 个，单位 {report.units} 个，人员 {report.staff} 名。")
        self.stdout.write(f"演示账号（密码均为 YIMEN_DEMO_PASSWORD，默认 {settings.YIMEN_DEMO_PASSWORD}）：")
        for username, name, seat in report.logins:
            self.stdout.write(f"  {username:<12} {name:<4}  {seat}")
