from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "yimen.org"
    label = "org"
    verbose_name = "单位与人员"
