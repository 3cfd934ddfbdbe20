from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "yimen.people"
    label = "people"
    verbose_name = "实有人口"

    def ready(self):
        from yimen.core import audit
        from yimen.geo.summary import SubtreeCount, register_counter
        from yimen.people.models import Household, Person

        # A region's households and residents: those whose micro-grid lies in its subtree; the
        # moved out and deceased are kept but not counted.
        register_counter("households", SubtreeCount(rows=lambda: Household.objects.all(), path="region__path"))
        register_counter(
            "persons", SubtreeCount(rows=lambda: Person.unscoped.exclude(status__in=Person.LEFT), path="region__path")
        )
        audit.register_labels(
            {
                "household_create": "登记户",
                "household_update": "修改户信息",
                "person_create": "登记人员",
                "person_update": "修改人员信息",
                "person_left": "登记迁出/死亡",
                "person_tag_add": "添加人员标签",
                "person_tag_remove": "移除人员标签",
                "person_reveal": "查看完整身份证号/手机号",
                "resident_note_add": "添加民情档案",
                "police_contact_set": "登记警民联系",
                "defence_group_create": "组建十户联防组",
                "defence_group_update": "调整十户联防组",
                "patrol_team_create": "组建巡防队",
                "patrol_member_create": "登记巡防队员",
                "patrol_member_update": "修改巡防队员",
                "person_import": "上传导入文件",
                "person_import_apply": "执行导入",
                "person_import_batch": "导入写入",
                "person_import_fail": "导入失败",
                "person_import_discard": "放弃导入",
                "person_export": "导出人员名单",
                "person_merge": "合并重复人员记录",
                "police_contact_add": "记录警民联系",
                "fraud_alert_send": "发布反诈预警",
                "fraud_alert_sent": "反诈预警发送完成",
                "fraud_alert_ack": "确认收到反诈预警",
                "fraud_alert_delivered": "反诈预警送达回执",
                "fraud_alert_acknowledged": "反诈预警确认回执",
                "fraud_alert_failed": "反诈预警未送达回执",
                "defence_group_retire": "撤销十户联防组",
            }
        )
