from django.urls import path

from yimen.insight.minutes_views import minutes_page
from yimen.insight.topics import views as topics
from yimen.insight.upstream import views as upstream
from yimen.insight.views import dashboard, display, exports, meetings, public

app_name = "insight"
urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/data/", dashboard.data, name="data"),
    path("dashboard/screen/", dashboard.screen, name="screen"),
    path("dashboard/display/", display.token_list, name="display_tokens"),
    path("dashboard/display/<int:token_id>/revoke/", display.token_revoke, name="display_token_revoke"),
    path("display/", display.display_open, name="display_open"),
    path("display/screen/", display.display_screen, name="display_screen"),
    path("display/data/", display.display_data, name="display_data"),
    path("display/features/", display.display_features, name="display_features"),
    path("dashboard/meetings/", meetings.meeting_list, name="meetings"),
    path("dashboard/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("dashboard/meetings/schedule/", meetings.meeting_schedule, name="meeting_schedule"),
    path("dashboard/meetings/agenda/", meetings.meeting_agenda_add, name="meeting_agenda_add"),
    path("dashboard/meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("dashboard/meetings/<int:meeting_id>/actions/", meetings.meeting_action_new, name="meeting_action_new"),
    path("dashboard/meetings/<int:meeting_id>/agenda/", meetings.meeting_slot_add, name="meeting_slot_add"),
    path("dashboard/meetings/<int:meeting_id>/minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path("dashboard/actions/<int:action_id>/", meetings.meeting_action_status, name="meeting_action_status"),
    path("dashboard/report/", meetings.report, name="report"),
    path("meetings/items/", meetings.unit_items, name="unit_items"),
    path("meetings/items/<int:action_id>/answer/", meetings.unit_item_answer, name="unit_item_answer"),
    path("dashboard/export/cases/", exports.case_export, name="case_export"),
    path("dashboard/export/kpis/", exports.kpi_export, name="kpi_export"),
    path("public/rankings/", public.ranking, name="public_rankings"),
    path("public/report/<int:year>/", public.annual, name="public_annual"),
    path("dashboard/topics/", topics.topic_list, name="topics"),
    path("dashboard/topics/<int:topic_id>/", topics.topic_detail, name="topic"),
    path("dashboard/topics/<int:topic_id>/project/", topics.topic_project_new, name="topic_project_new"),
    path("dashboard/forms/", upstream.form_page, name="forms"),
    path("dashboard/forms/<slug:form>.xlsx", upstream.form_download, name="form_download"),
    path("dashboard/minutes/", minutes_page, name="minutes"),
]
