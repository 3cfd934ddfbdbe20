from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yimen.cases"
    label = "cases"
    verbose_name = "案件"

    def ready(self) -> None:
        from yimen.cases.views.home import home_day
        from yimen.cases.views.person import person_cases_panel
        from yimen.core import audit
        from yimen.org.home import register_home_panel
        from yimen.people.extensions import register_person_panel

        register_person_panel(person_cases_panel)
        register_home_panel(home_day)

        audit.register_labels(
            {
                "case_register": "登记案件",
                "case_party_reveal": "查看当事人联系方式",
                "catalogue_revise": "修订派单目录",
                "deadline_policy_create": "新增期限规则",
                "risk_rule_create": "新增风险规则",
                "handling_tier_update": "修改分级处置规则",
            }
        )
