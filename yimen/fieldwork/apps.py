from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "yimen.fieldwork"
    label = "fieldwork"
    verbose_name = "网格工作"

    def ready(self):
        from yimen.cases.extensions import register_case_panel
        from yimen.core import audit
        from yimen.fieldwork.panels import grid_report_panel

        register_case_panel(grid_report_panel)
        audit.register_labels(
            {
                "field_report": "网格上报",
                "field_report_register": "核实登记网格上报",
                "field_check": "隐患排查",
                "patrol_log": "巡逻日志",
                "patrol_duty_set": "巡防排班",
                "defence_alert": "十户联防报警",
                "defence_alert_ack": "联防报警确认",
            }
        )
