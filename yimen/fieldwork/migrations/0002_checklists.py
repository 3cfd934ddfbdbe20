from django.db import migrations


def load(apps, schema_editor):
    from yimen.fieldwork.checklists import seed

    seed(apps.get_model("fieldwork", "CheckList"))


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
