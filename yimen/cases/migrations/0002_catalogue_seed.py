"""Every database starts with the deadline policies of DESIGN §7, the first dispatch catalogue
(派单目录, version 1) and the risk rules. The seeding logic is shared with catalogue_seed() and
runs here on the historical models."""

from django.db import migrations

from yimen.cases.catalogue import seed


def load(apps, schema_editor):
    seed(
        policy_model=apps.get_model("cases", "DeadlinePolicy"),
        catalogue_model=apps.get_model("cases", "DispatchCatalogue"),
        row_model=apps.get_model("cases", "CatalogueRow"),
        rule_model=apps.get_model("cases", "RiskRule"),
    )


def unload(apps, schema_editor):
    for name in ("RiskRule", "CatalogueRow", "DispatchCatalogue", "DeadlinePolicy"):
        apps.get_model("cases", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
