"""Every database starts with the holidays and make-up workdays chinesecalendar knows.

The years are frozen here (the library's 1.11 range), so that migrating gives the same rows on
every machine; a later library release is loaded with `manage.py load_calendar`, and years the
library does not know are entered by an administrator on /calendar/. The writing logic is shared
with the service (calendar.store_library_year) and runs on the historical models given here."""

from django.db import migrations

from yimen.core.calendar import LIBRARY_SOURCE, store_library_year

YEARS = range(2004, 2027)


def load(apps, schema_editor):
    year_model = apps.get_model("core", "CalendarYear")
    day_model = apps.get_model("core", "CalendarDay")
    for year in YEARS:
        store_library_year(year=year, year_model=year_model, day_model=day_model)


def unload(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(source=LIBRARY_SOURCE).delete()
    apps.get_model("core", "CalendarYear").objects.filter(source=LIBRARY_SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
