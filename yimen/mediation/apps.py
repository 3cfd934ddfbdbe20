from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "yimen.mediation"
    label = "mediation"
    verbose_name = "调解（三调联动）"

    def ready(self):
        from yimen.cases.extensions import register_case_panel
        from yimen.core.audit import ACTION_LABELS
        from yimen.mediation.views.panel import case_panel

        register_case_panel(case_panel)
        ACTION_LABELS.update({"mediator_create": "登记调解员", "mediator_update": "修改调解员信息"})
