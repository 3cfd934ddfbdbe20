"""The court-confirmation periods as deadline policy rows (人民调解法 art. 33; SPC rules 2011)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from yimen.mediation.policies import seed

    seed(apps.get_model("cases", "DeadlinePolicy"))


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial"), ("cases", "0002_catalogue_seed")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
