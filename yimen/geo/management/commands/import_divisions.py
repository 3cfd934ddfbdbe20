"""manage.py import_divisions <code>: load a region of the 统计用区划代码 with its ancestors and subtree."""

from django.core.management.base import BaseCommand, CommandError

from yimen.core.errors import DomainError
from yimen.geo.models import Region
from yimen.geo.services import divisions_import


class Command(BaseCommand):
    help = "导入统计用区划代码：给出 2/4/6/9/12 位代码（省/市/县/镇/村），导入该区划、其上级和全部下级。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("code", help="区划代码，如 45（广西）、450324（全州县）、450324106（才湾镇）")

    def handle(self, *args, code: str, **options):
        try:
            report = divisions_import(code=code.strip())
        except DomainError as exc:
            raise CommandError(exc.message) from None
        labels = dict(Region.Level.choices)
        counts = "，".join(f"{labels[level]} {count:,}" for level, count in report.levels.items())
        self.stdout.write(f"{report.name}（{report.code}）：{counts}；共 {report.total:,} 个区划。")
        self.stdout.write(
            self.style.SUCCESS(f"新建 {report.created:,}，更新 {report.updated:,}，用时 {report.seconds:.2f} 秒。")
        )
