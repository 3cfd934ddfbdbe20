from django.apps import AppConfig
from django.db.models.signals import post_save


class InsightConfig(AppConfig):
    name = "yimen.insight"
    label = "insight"
    verbose_name = "指挥中心"

    def ready(self) -> None:
        from yimen.cases import timeline
        from yimen.cases.extensions import register_case_reach, register_case_read
        from yimen.cases.models import TimelineEvent
        from yimen.core import audit
        from yimen.insight.meeting_access import (
            consultation_person_reach,
            consultation_person_read,
            consultation_reach,
            consultation_read,
        )
        from yimen.insight.rollups.signals import timeline_event_saved
        from yimen.insight.views.meetings import consultation_panel
        from yimen.people.extensions import register_person_panel, register_person_reach, register_person_read

        post_save.connect(timeline_event_saved, sender=TimelineEvent, dispatch_uid="insight_rollups")
        # 会商: the invited units read the case file while the session runs, each read logged.
        register_case_reach(consultation_reach)
        register_case_read(consultation_read)
        # 会商 on a person (重点人员管控): the invited units read the person's card, read-only, each read logged.
        register_person_reach(consultation_person_reach)
        register_person_read(consultation_person_read)
        register_person_panel(consultation_panel)
        timeline.register_labels({"meeting_slot": "列入联席会议议程", "meeting_consultation": "会商"})
        audit.register_labels(
            {
                "case_export": "导出案件清单",
                "kpi_export": "导出指标表",
                "meeting_create": "登记联席会议",
                "meeting_action_add": "增加会议督办事项",
                "meeting_action_update": "更新会议督办事项",
                "meeting_report": "生成联席会议报告",
                "meeting_schedule": "召开联席会议或会商",
                "meeting_action_answer": "责任单位答复督办事项",
                "meeting_minutes": "登记会议纪要",
                "consultation_read": "会商调阅案卷或人员档案",
                "topic_project_create": "每月一题立项治理",
                "upstream_form": "生成一表通上报报表",
            }
        )
