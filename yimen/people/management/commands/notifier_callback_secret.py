"""Print the shared secret the notifier gateway signs its delivery reports with (see
yimen/people/api_notifier.py), for the gateway's configuration. Run by the system administrator."""

from django.core.management.base import BaseCommand

from yimen.people.api_notifier import callback_secret


class Command(BaseCommand):
    help = "显示短信网关送达回执的签名密钥（HMAC-SM3，十六进制），供配置网关使用。"

    def handle(self, *args, **options):
        self.stdout.write(callback_secret().hex())
