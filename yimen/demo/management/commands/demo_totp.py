import base64
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django_otp.oath import TOTP


class Command(BaseCommand):
    help = "显示演示账号当前的 6 位动态口令（由 YIMEN_DEMO_TOTP_SECRET 算出，与手机身份验证器显示的相同）。"

    def handle(self, *args, **options):
        # Computed from the demo key alone, never from a stored device: this opens no real account.
        totp = TOTP(base64.b32decode(settings.YIMEN_DEMO_TOTP_SECRET))
        left = totp.step - int(time.time() - totp.t0) % totp.step
        self.stdout.write(f"{totp.token():06d}（{left} 秒内有效）")
