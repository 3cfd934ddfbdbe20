"""The catalogue's `legal_aid.assign` policy cited 法律援助法 art. 44; the 3-day assignment is
art. 43 ¶1 ("决定给予法律援助的，应当自作出决定之日起三日内指派法律援助人员"), art. 44 being
先行提供. Only the citation is corrected: the rule (3 natural days) is unchanged, so no deadline
already computed from it moves and the policy's no-edit-in-place rule (a changed rule is a new
row) is not at stake."""

from django.db import migrations

WRONG, RIGHT = "法律援助法第四十四条", "法律援助法第四十三条"


def cite_article_43(apps, schema_editor):
    apps.get_model("cases", "DeadlinePolicy").objects.filter(code="legal_aid.assign", source=WRONG).update(source=RIGHT)


def cite_article_44(apps, schema_editor):
    apps.get_model("cases", "DeadlinePolicy").objects.filter(code="legal_aid.assign", source=RIGHT).update(source=WRONG)


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0001_initial"),
        ("cases", "0002_catalogue_seed"),
    ]

    operations = [migrations.RunPython(cite_article_43, cite_article_44)]
