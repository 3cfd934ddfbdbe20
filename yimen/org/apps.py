from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "yimen.org"
    label = "org"
    verbose_name = "单位与人员"

    def ready(self):
        from yimen.core import audit
        from yimen.geo.summary import SubtreeCount, register_counter
        from yimen.org.models import Membership

        audit.register_labels(
            {
                "otp_enrol_begin": "开始绑定动态口令",
                "otp_enrol": "绑定动态口令",
                "otp_verify": "动态口令验证",
                "otp_recovery_used": "使用恢复码登录",
                "otp_reset": "重置动态口令",
            }
        )

        # Staff of a region: people holding an active seat whose jurisdiction lies in its subtree
        # (a grid worker counts for their grid, not for the village unit that employs them).
        register_counter(
            "staff",
            SubtreeCount(
                rows=lambda: Membership.objects.filter(is_active=True, unit__is_active=True),
                path="jurisdiction__path",
                distinct="user",
            ),
        )
