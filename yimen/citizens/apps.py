from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "yimen.citizens"
    label = "citizens"
    verbose_name = "群众自助"

    def ready(self):
        from yimen.cases import timeline
        from yimen.cases.extensions import register_public_rating_check
        from yimen.citizens.services.codes import rating_code_check
        from yimen.core import audit

        # The public rating needs a fresh SMS code sent to the applicant (issue 19 part 3).
        register_public_rating_check(rating_code_check)
        timeline.register_labels({"citizen_comment": "群众补充"})
        audit.register_labels(
            {
                "citizen_report": "群众随手拍",
                "citizen_code": "发送短信验证码",
                "hotline_ticket": "12345 工单转入",
                "hotline_reply": "回复 12345 工单",
                "hotline_rating": "12345 回访评价",
                "open311_key_issue": "签发 Open311 接口密钥",
                "open311_key_revoke": "吊销 Open311 接口密钥",
            }
        )
