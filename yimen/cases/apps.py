from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yimen.cases"
    label = "cases"
    verbose_name = "案件"
