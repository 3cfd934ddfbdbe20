from django.core.management.base import BaseCommand, CommandError

from yimen.core.errors import Invalid
from yimen.geo.models import Region
from yimen.insight.topics import services
from yimen.insight.topics.selectors import month_parse


class Command(BaseCommand):
    help = "每月一题：把某月的案件按内容聚类成题目（默认上月、每个镇；重跑会替换未立项的题目）。"

    def add_arguments(self, parser):
        parser.add_argument("--month", default="", help="月份 YYYY-MM（默认上月）")
        parser.add_argument("--region", default="", help="镇/街道区划代码（默认：每个镇）")

    def handle(self, *args, month: str, region: str, **options):
        try:
            first = month_parse(month or None)
        except Invalid as exc:
            raise CommandError(exc.errors["month"][0]) from None
        if region:
            place = Region.objects.filter(code=region).first()
            if place is None:
                raise CommandError("没有这个区划。")
            made = len(services.topics_build(region=place, month=first))
        else:
            made = services.topics_build_all(month=first)
        self.stdout.write(f"{first:%Y-%m}：生成题目 {made} 个。")
        return 0
