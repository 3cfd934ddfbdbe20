from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "yimen.legal"
    label = "legal"
    verbose_name = "公共法律服务"

    def ready(self) -> None:
        from yimen.cases import timeline
        from yimen.cases.extensions import (
            register_case_exclusion,
            register_case_panel,
            register_case_reach,
            register_intake_check,
        )
        from yimen.core import audit
        from yimen.legal.selectors import adviser_reach, hidden_legal_files
        from yimen.legal.services import legal_aid_intake_check
        from yimen.legal.views import (
            legal_aid_panel,
            protection_order_panel,
            village_adviser_home,
            village_adviser_phone,
        )
        from yimen.org.home import register_home_panel, register_phone_panel

        register_intake_check(legal_aid_intake_check)
        register_case_exclusion(hidden_legal_files)
        register_case_reach(adviser_reach)
        register_case_panel(legal_aid_panel)
        register_case_panel(protection_order_panel)
        register_home_panel(village_adviser_home)
        register_phone_panel(village_adviser_phone)
        timeline.register_labels(
            {
                "legal_aid_means": "经济困难状况核查",
                "legal_aid_first": "先行提供法律援助",
                "legal_aid_decision": "法律援助决定",
                "legal_aid_assign": "指派法律援助人员",
                "legal_aid_close": "法律援助结案",
            }
        )
        audit.register_labels(
            {"outreach_order": "普法点单", "outreach_event": "登记送法活动", "outreach_attendance": "登记送法到场人数"}
        )
