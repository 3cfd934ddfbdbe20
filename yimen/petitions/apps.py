from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "yimen.petitions"
    label = "petitions"
    verbose_name = "信访"
