"""manage.py restore [--verify] [--force] FILE (README "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yimen.core.backup import backup_restore, backup_verify
from yimen.core.errors import DomainError


class Command(BaseCommand):
    help = "恢复备份；--verify 只在临时数据库中恢复并校验（行数、审计链、加密字段抽样），不动当前数据库。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="备份文件（其清单 <文件>.json 在同一目录）")
        parser.add_argument("--verify", action="store_true", help="恢复到临时数据库并校验，校验后删除")
        parser.add_argument("--force", action="store_true", help="覆盖已有数据的数据库（恢复前请停止应用）")

    def handle(self, *args, file: Path, verify: bool, force: bool, **options):
        if verify:
            report = backup_verify(file)
            if not report.ok:
                raise CommandError("备份校验未通过：\n" + "\n".join(f"- {p}" for p in report.problems))
            self.stdout.write(
                f"备份校验通过：{report.tables} 张表共 {report.rows} 行与清单一致；"
                f"审计链 {report.audit_checked} 条完整；{report.samples} 个加密字段样本解密无误。"
            )
            return
        try:
            manifest = backup_restore(backup=file, force=force)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"已恢复 {file.name}（备份于 {manifest['created_at']}）。")
