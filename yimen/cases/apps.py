from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yimen.cases"
    label = "cases"
    verbose_name = "案件"

    def ready(self) -> None:
        from yimen.core import audit

        audit.register_labels(
            {
                "case_register": "登记案件",
                "case_party_reveal": "查看当事人联系方式",
                "catalogue_revise": "修订派单目录",
                "deadline_policy_create": "新增期限规则",
                "risk_rule_create": "新增风险规则",
            }
        )
