from django.core.management.base import BaseCommand, CommandError

from yimen.geo.models import Region
from yimen.insight import synthetic


class Command(BaseCommand):
    help = "生成合成案件（基准测试用）：N 件案件及其主办交办、登记记录和汇总表；PostgreSQL 上用 COPY。"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="合成案件总数（已有的合成案件会复用、补足或删减）")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--region", default="", help="区划代码（默认：第一个县）")
        parser.add_argument("--days", type=int, default=1095, help="收到时间分布在过去多少天内")

    def handle(self, *args, count: int, seed: int, region: str, days: int, **options):
        if count < 0 or days < 1:
            raise CommandError("--count 不能为负，--days 至少为 1。")
        place = (
            Region.objects.filter(code=region).first()
            if region
            else Region.objects.filter(level=Region.Level.COUNTY).order_by("code").first()
        )
        if place is None:
            raise CommandError("没有这个区划；请先导入区划（manage.py seed_demo）或用 --region 指定。")
        report = synthetic.generate(region=place, count=count, seed=seed, days=days, log=self.stdout.write)
        self.stdout.write(
            f"合成案件 {report.cases:,} 件（新增 {report.added:,}，删除 {report.removed:,}），"
            f"汇总日表 {report.rollup_rows:,} 行，用时 {report.seconds:.1f} 秒。"
        )
