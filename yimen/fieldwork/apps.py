from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "yimen.fieldwork"
    label = "fieldwork"
    verbose_name = "网格工作"

    def ready(self):
        from yimen.cases.extensions import register_case_panel
        from yimen.core import audit
        from yimen.fieldwork.panels import camera_panel, grid_report_panel

        register_case_panel(grid_report_panel)
        register_case_panel(camera_panel)
        audit.register_labels(
            {
                "field_report": "网格上报",
                "field_report_register": "核实登记网格上报",
                "field_check": "隐患排查",
                "patrol_log": "巡逻日志",
                "patrol_duty_set": "巡防排班",
                "defence_alert": "十户联防报警",
                "defence_alert_ack": "联防报警确认",
                "camera_create": "新增监控点",
                "camera_update": "修改监控点",
                "camera_log": "监控点维护",
                "camera_retire": "撤除监控点",
                "camera_cite": "案件引用监控点",
                "camera_uncite": "取消引用监控点",
                "patrol_team_update": "修改巡防队",
                "patrol_team_retire": "撤销巡防队",
            }
        )
