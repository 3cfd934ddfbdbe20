from django.urls import path

from yimen.emergency.views import incidents, roster, station

app_name = "emergency"
urlpatterns = [
    path("emergency/", incidents.board, name="board"),
    path("emergency/new/", incidents.declare, name="declare"),
    path("emergency/roster/", roster.roster, name="roster"),
    path("emergency/roster/set/", roster.roster_set, name="roster_set"),
    path("emergency/resources/", incidents.resources, name="resources"),
    path("emergency/resources/new/", incidents.resource_new, name="resource_new"),
    path("emergency/<int:incident_id>/", incidents.incident, name="incident"),
    path("emergency/<int:incident_id>/reports/", incidents.report, name="report"),
    path("emergency/<int:incident_id>/tasks/", incidents.task_new, name="task_new"),
    path("emergency/<int:incident_id>/tasks/<int:task_id>/done/", incidents.task_done, name="task_done"),
    path("emergency/<int:incident_id>/tasks/<int:task_id>/accept/", incidents.task_accept, name="task_accept"),
    path("emergency/<int:incident_id>/tasks/<int:task_id>/progress/", incidents.task_progress, name="task_progress"),
    path("emergency/<int:incident_id>/resources/", incidents.resource_allocate, name="resource_allocate"),
    path(
        "emergency/<int:incident_id>/resources/<int:resource_id>/release/",
        incidents.resource_release,
        name="resource_release",
    ),
    path("emergency/<int:incident_id>/cases/", incidents.case_new, name="case_new"),
    path("emergency/<int:incident_id>/stand-down/", incidents.stand_down, name="stand_down"),
    path("emergency/<int:incident_id>/after-action/", incidents.after_action, name="after_action"),
    path("station/", station.station, name="station"),
    path("station/items/", station.item_new, name="item_new"),
    path("station/call-list/", station.call_list, name="call_list"),
    path("station/call-list/add/", station.call_list_add, name="call_list_add"),
    path("station/call-list/<int:entry_id>/remove/", station.call_list_remove, name="call_list_remove"),
    path("station/retention/", station.retention, name="retention"),
    path("station/items/<int:item_id>/hand-over/", station.item_hand_over, name="item_hand_over"),
    path("station/items/<int:item_id>/", station.item, name="item"),
    path("station/items/<int:item_id>/return/", station.item_return, name="item_return"),
    path("station/missing/", station.missing_new, name="missing_new"),
    path("station/missing/<int:missing_id>/", station.missing, name="missing"),
    path("station/help/", station.help_new, name="help_new"),
    path("station/missing/<int:missing_id>/sightings/", station.sighting_new, name="sighting_new"),
    path("station/missing/<int:missing_id>/found/", station.missing_found, name="missing_found"),
]
