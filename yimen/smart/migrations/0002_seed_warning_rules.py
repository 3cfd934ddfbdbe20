"""The early-warning rules as seed rows (administrators edit thresholds and windows)."""

from django.db import migrations

from yimen.smart.rules import SEED


def seed(apps, schema_editor):
    WarningRule = apps.get_model("smart", "WarningRule")
    for code, name, threshold, window in SEED:
        WarningRule.objects.get_or_create(
            code=code, defaults={"name": name, "threshold": threshold, "window_days": window}
        )


class Migration(migrations.Migration):
    dependencies = [("smart", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
