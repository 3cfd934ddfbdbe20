from django.apps import AppConfig


class SmartConfig(AppConfig):
    name = "yimen.smart"
    label = "smart"
    verbose_name = "智能受理"

    def ready(self):
        from yimen.cases import timeline
        from yimen.cases.extensions import register_case_panel, register_intake_check, register_intake_hints
        from yimen.core import audit
        from yimen.smart.hints import intake_hints_block, record_choice
        from yimen.smart.panels import related_panel

        register_intake_hints(intake_hints_block)
        register_intake_check(record_choice)
        register_case_panel(related_panel)
        timeline.register_labels({"case_link": "关联案件"})
        audit.register_labels(
            {"warning_dismiss": "排除预警", "smart_retrain": "重新训练类别建议模型", "warnings_refresh": "生成风险预警"}
        )
