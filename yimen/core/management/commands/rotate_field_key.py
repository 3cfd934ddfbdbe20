"""Re-encrypt every sealed ID number, phone and file under a new field key (README "Rotating the
field key"): YIMEN_FIELD_KEY holds the new key, YIMEN_FIELD_KEY_OLD the one being retired."""

import os

from django.core.management.base import BaseCommand, CommandError

from yimen.core.errors import Invalid
from yimen.core.services import field_key_rotate, stored_files_reseal


class Command(BaseCommand):
    help = "用新的字段密钥（YIMEN_FIELD_KEY）重新加密各处的身份证号、手机号和附件；旧密钥放在 YIMEN_FIELD_KEY_OLD。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000, help="每个事务处理的行数")

    def handle(self, *args, batch: int, **options):
        # The old key is read here, once, from the operator's environment: it has no place in settings.
        old_secret = os.environ.get("YIMEN_FIELD_KEY_OLD", "")
        try:
            counts = field_key_rotate(old_secret=old_secret, batch=batch)
        except Invalid as exc:
            raise CommandError(f"{exc.message}（请设置 YIMEN_FIELD_KEY_OLD 为旧密钥）") from None
        for label, count in counts.items():
            self.stdout.write(f"{label}: 重新加密 {count} 行")
        self.stdout.write(f"附件与照片: 重新加密 {stored_files_reseal(old_secret=old_secret)} 个文件")
