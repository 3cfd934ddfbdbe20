"""Kept only because migration people/0004_import_job names `yimen.people.models_transfer.new_job_code`
as the ImportJob code's default, and a migration must keep importing what it names. The model lives
in yimen.people.models.imports; import from yimen.people.models."""

from yimen.people.models.imports import new_job_code as new_job_code
