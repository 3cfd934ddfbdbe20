from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "yimen.fieldwork"
    label = "fieldwork"
    verbose_name = "网格工作"
