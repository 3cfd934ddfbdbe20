from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "yimen.mediation"
    label = "mediation"
    verbose_name = "调解（三调联动）"
