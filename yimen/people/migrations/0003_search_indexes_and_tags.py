"""Name search indexes each database needs beyond Person.Meta, and the standard tags.

SQLite's LIKE ignores ASCII case, so only an index in NOCASE order serves `name LIKE '张三%'`.
PostgreSQL gets a trigram index for substring search (three characters or more) through pg_trgm,
which needs a UTF-8 database: under the C locale it extracts no trigrams from Chinese."""

from django.db import migrations

TAGS = [
    # (code, name, sensitive)
    ("left_behind_elderly", "留守老人", False),
    ("left_behind_child", "留守儿童", False),
    ("living_alone", "独居", False),
    ("disabled", "残疾", False),
    ("community_correction", "社区矫正", True),
    ("severe_mental_disorder", "严重精神障碍", True),
    ("key_petitioner", "重点信访", True),
    ("drug_user", "吸毒", True),
]


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute('CREATE INDEX "person_name_nocase" ON "people_person" ("name" COLLATE NOCASE)')
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute('CREATE INDEX "person_name_trgm" ON "people_person" USING gin ("name" gin_trgm_ops)')


def drop_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute('DROP INDEX IF EXISTS "person_name_nocase"')
    elif vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "person_name_trgm"')


def create_tags(apps, schema_editor):
    Tag = apps.get_model("people", "Tag")
    for position, (code, name, sensitive) in enumerate(TAGS):
        Tag.objects.update_or_create(code=code, defaults={"name": name, "sensitive": sensitive, "position": position})


def remove_tags(apps, schema_editor):
    apps.get_model("people", "Tag").objects.filter(code__in=[code for code, _, _ in TAGS]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0002_registry")]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(create_tags, remove_tags),
    ]
