from django.core.management.base import BaseCommand, CommandError

from yimen.core import services
from yimen.core.calendar import library_years
from yimen.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "从 chinesecalendar 载入法定节假日和调休上班日，并把这些年度标记为已知。可重复执行；"
        "管理员录入的日期保留不变。库中没有的年份（2027 年起）请在工作日历页面录入。"
    )

    def add_arguments(self, parser):
        years = library_years()
        parser.add_argument(
            "years", nargs="*", type=int, help=f"年份，缺省为库中全部年份（{years.start}–{years.stop - 1}）"
        )

    def handle(self, *args, years: list[int], **options):
        try:
            written = services.calendar_load_from_library(years=years or library_years())
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for year, count in written.items():
            self.stdout.write(f"{year} 年：写入 {count} 处" if count else f"{year} 年：已是最新")
