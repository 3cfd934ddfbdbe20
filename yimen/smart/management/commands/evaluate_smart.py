"""`manage.py evaluate_smart`: the category suggester and the duplicate check measured on this
installation's own closed cases, split by time (issue 23 part 5)."""

from django.core.management.base import BaseCommand, CommandError

from yimen.smart.evaluation import evaluate


def pct(value: float | None) -> str:
    return "—（无样本）" if value is None else f"{value:.1%}"


class Command(BaseCommand):
    help = "按时间切分本系统已办结案件（以前训练、近几个月测试），报告类别建议与重复检测的准确率。"

    def add_arguments(self, parser):
        parser.add_argument("--test-days", type=int, default=90, help="最近多少天的案件作测试集（默认 90）")
        parser.add_argument("--threshold", type=float, default=0.5, help="自动覆盖的置信度阈值 0–1（默认 0.5）")

    def handle(self, *args, test_days: int, threshold: float, **options):
        if not 1 <= test_days <= 3650 or not 0 <= threshold <= 1:
            raise CommandError("--test-days 须在 1–3650 之间，--threshold 须在 0–1 之间。")
        f = evaluate(test_days=test_days, threshold=threshold)
        self.stdout.write(
            f"切分时点 {f.cutoff:%Y-%m-%d}：训练 {f.trained} 件，测试 {f.tested} 件（此后已办结、有类别的案件）"
        )
        self.stdout.write(f"类别建议 top-1 准确率 {pct(f.top1)}，top-3 {pct(f.top3)}")
        self.stdout.write(
            f"置信度 ≥ {f.threshold:.0%} 的覆盖率 {pct(f.coverage)}，其中 top-1 准确率 {pct(f.covered_top1)}"
        )
        self.stdout.write(
            f"重复检测（同一事项）：测试期并单 {f.merges} 件，召回率 {pct(f.dup_recall)}；"
            f"提示 {f.flagged} 次，精确率 {pct(f.dup_precision)}（以窗口受理员的并单为准）"
        )
