"""manage.py backup: one backup of the database with its signed manifest (README "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yimen.core.backup import backup_create, backup_prune
from yimen.core.errors import DomainError


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump）并写出签名清单；密钥不在备份中。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="备份目录（默认 YIMEN_BACKUP_DIR）")
        parser.add_argument("--prune", action="store_true", help="备份后只保留最新的 YIMEN_BACKUP_KEEP 份")

    def handle(self, *args, dir: Path | None, prune: bool, **options):
        try:
            backup = backup_create(directory=dir)
            pruned = backup_prune(directory=dir) if prune else []
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"已备份：{backup}")
        for path in pruned:
            self.stdout.write(f"已删除旧备份：{path.name}")
        self.stdout.write("注意：密钥不在备份中，请按 README “Backups”另行保管。")
