from django.apps import AppConfig


class EmergencyConfig(AppConfig):
    name = "yimen.emergency"
    label = "emergency"
    verbose_name = "应急指挥与快警站"

    def ready(self):
        from yimen.cases import timeline
        from yimen.cases.extensions import register_case_panel
        from yimen.core import audit
        from yimen.emergency.panels import incident_case_panel
        from yimen.emergency.views.phone import phone_card
        from yimen.org.home import register_phone_panel

        register_case_panel(incident_case_panel)
        register_phone_panel(phone_card)
        timeline.register_labels({"incident_from_case": "启动应急事件", "incident_followup": "应急事件遗留事项立案"})

        audit.register_labels(
            {
                "incident_declare": "启动应急事件",
                "incident_task": "下达应急任务",
                "incident_task_accept": "接收应急任务",
                "incident_task_progress": "报告任务进展",
                "incident_task_done": "完成应急任务",
                "resource_register": "登记应急资源",
                "incident_resource_allocate": "调用应急资源",
                "incident_resource_release": "释放应急资源",
                "incident_report": "报送事件续报",
                "incident_stand_down": "应急响应终止",
                "lost_item_record": "登记失物招领",
                "lost_item_return": "失物发还",
                "missing_person_report": "登记走失人员",
                "missing_person_sighting": "登记走失人员线索",
                "missing_person_found": "走失人员已找到",
                "tourist_help": "登记游客求助",
                "call_list_add": "加入快警站通知名单",
                "call_list_remove": "移出快警站通知名单",
                "lost_item_hand_over": "无人认领物品上交",
                "duty_shift_set": "应急值班排班",
                "incident_case_create": "应急事件遗留事项立案",
            }
        )
