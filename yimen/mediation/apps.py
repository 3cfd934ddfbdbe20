from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "yimen.mediation"
    label = "mediation"
    verbose_name = "调解（三调联动）"

    def ready(self):
        from yimen.cases import timeline
        from yimen.cases.extensions import register_case_panel, register_case_reach
        from yimen.core import audit
        from yimen.mediation.selectors import held_by_court
        from yimen.mediation.views.home import court_home
        from yimen.mediation.views.panel import case_panel
        from yimen.org.home import register_home_panel

        register_case_panel(case_panel)
        register_case_reach(held_by_court)
        register_home_panel(court_home)
        timeline.register_labels(
            {
                "mediation_team": "组建调解组",
                "mediation_consent": "记录当事人调解意愿",
                "mediation_session": "记录调解",
                "mediation_extend": "延长调解期限",
                "mediation_agreement": "登记调解协议",
                "mediation_end": "终止调解",
                "performance_check": "协议履行回访",
                "court_confirmation": "申请司法确认",
                "court_accept": "法院受理司法确认",
                "court_extend": "延长司法确认审查期限",
                "court_decision": "司法确认裁定",
            }
        )
        audit.register_labels({"mediator_create": "登记调解员", "mediator_update": "修改调解员信息"})
