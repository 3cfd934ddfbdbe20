from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "yimen.org"
    label = "org"
    verbose_name = "单位与人员"

    def ready(self):
        from yimen.geo.summary import SubtreeCount, register_counter
        from yimen.org.models import Membership

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
