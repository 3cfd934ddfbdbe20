from django.urls import path

from yimen.insight.views import dashboard, exports, meetings

app_name = "insight"
urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/data/", dashboard.data, name="data"),
    path("dashboard/screen/", dashboard.screen, name="screen"),
    path("dashboard/meetings/", meetings.meeting_list, name="meetings"),
    path("dashboard/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("dashboard/meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("dashboard/meetings/<int:meeting_id>/actions/", meetings.meeting_action_new, name="meeting_action_new"),
    path("dashboard/actions/<int:action_id>/", meetings.meeting_action_status, name="meeting_action_status"),
    path("dashboard/report/", meetings.report, name="report"),
    path("dashboard/export/cases/", exports.case_export, name="case_export"),
    path("dashboard/export/kpis/", exports.kpi_export, name="kpi_export"),
]
