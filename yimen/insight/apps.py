from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "yimen.insight"
    label = "insight"
    verbose_name = "指挥中心"
