from django.urls import path

from yimen.people.views import defence, fieldwork, police, registry, tags, transfer, upkeep

app_name = "people"
urlpatterns = [
    path("persons/", registry.person_list, name="person_list"),
    path("persons/new/", upkeep.person_create, name="person_create"),
    path("persons/<int:person_id>/", registry.person_detail, name="person_detail"),
    path("persons/<int:person_id>/edit/", upkeep.person_edit, name="person_edit"),
    path("persons/<int:person_id>/left/", upkeep.person_left, name="person_left"),
    path("persons/<int:person_id>/tags/", tags.person_tag_add, name="person_tag_add"),
    path("persons/<int:person_id>/tags/remove/", tags.person_tag_remove, name="person_tag_remove"),
    path("persons/<int:person_id>/merge/", upkeep.person_merge, name="person_merge"),
    path("persons/<int:person_id>/contacts/", police.person_contact_add, name="person_contact_add"),
    path("persons/<int:person_id>/reveal/", registry.person_reveal, name="person_reveal"),
    path("persons/<int:person_id>/notes/", registry.person_note_add, name="person_note_add"),
    path("households/new/", upkeep.household_create, name="household_create"),
    path("households/<int:household_id>/edit/", upkeep.household_edit, name="household_edit"),
    path("households/<int:household_id>/", registry.household_detail, name="household_detail"),
    path("households/<int:household_id>/notes/", registry.household_note_add, name="household_note_add"),
    path(
        "households/<int:household_id>/police-contact/",
        registry.household_police_contact,
        name="household_police_contact",
    ),
    path("roster/", fieldwork.roster, name="roster"),
    path("coverage/", fieldwork.coverage, name="coverage"),
    path("police/worklist/", police.worklist, name="police_worklist"),
    path("police/alerts/", police.alert_list, name="alert_list"),
    path("police/alerts/<int:alert_id>/", police.alert_detail, name="alert_detail"),
    path(
        "police/alerts/<int:alert_id>/deliveries/<int:delivery_id>/ack/",
        police.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path("groups/", defence.defence_group_list, name="defence_group_list"),
    path("groups/new/", defence.defence_group_create, name="defence_group_create"),
    path("groups/<int:group_id>/", fieldwork.defence_group_detail, name="defence_group_detail"),
    path("groups/<int:group_id>/edit/", defence.defence_group_edit, name="defence_group_edit"),
    path("groups/<int:group_id>/retire/", defence.defence_group_retire, name="defence_group_retire"),
    # Excel import and export (views/transfer.py)
    path("persons/import/", transfer.import_page, name="import_page"),
    path("persons/import/template/", transfer.import_template, name="import_template"),
    path("persons/import/<str:code>/", transfer.import_job, name="import_job"),
    path("persons/import/<str:code>/apply/", transfer.import_apply, name="import_apply"),
    path("persons/import/<str:code>/discard/", transfer.import_discard, name="import_discard"),
    path("persons/import/<str:code>/report/", transfer.import_report, name="import_report"),
    path("persons/export/", transfer.export_page, name="export"),
]
