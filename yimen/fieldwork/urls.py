from django.urls import path

from yimen.fieldwork.views import assets, desk, phone

app_name = "fieldwork"
urlpatterns = [
    path("m/", phone.home, name="m_home"),
    path("m/sw.js", phone.service_worker, name="service_worker"),
    path("m/manifest.webmanifest", phone.manifest, name="manifest"),
    path("m/token/", phone.token, name="token"),
    path("m/households/", phone.households, name="households"),
    path("m/households/<int:household_id>/", phone.household, name="household"),
    path("m/report/", phone.report_new, name="report_new"),
    path("m/reports/<int:report_id>/", phone.report, name="report"),
    path("m/checks/<int:place_id>/", phone.check, name="check"),
    path("m/patrol/", phone.patrol, name="patrol"),
    path("m/photos/<int:photo_id>/", phone.photo, name="photo"),
    path("fieldwork/cameras/", desk.cameras, name="cameras"),
    path("fieldwork/cameras/new/", assets.camera_new, name="camera_new"),
    path("fieldwork/cameras/<int:camera_id>/", assets.camera, name="camera"),
    path("fieldwork/cameras/<int:camera_id>/edit/", assets.camera_edit, name="camera_edit"),
    path("fieldwork/cameras/<int:camera_id>/retire/", assets.camera_retire, name="camera_retire"),
    path("fieldwork/cameras/<int:camera_id>/log/", assets.camera_log_add, name="camera_log_add"),
    path("fieldwork/cases/<str:code>/cameras/", assets.case_camera_cite, name="case_camera_cite"),
    path(
        "fieldwork/cases/<str:code>/cameras/<int:camera_id>/remove/",
        assets.case_camera_uncite,
        name="case_camera_uncite",
    ),
    path("fieldwork/patrols/", desk.patrols, name="patrols"),
    path("fieldwork/patrols/new/", assets.team_new, name="team_new"),
    path("fieldwork/patrols/<int:team_id>/edit/", assets.team_edit, name="team_edit"),
    path("fieldwork/patrols/<int:team_id>/retire/", assets.team_retire, name="team_retire"),
    path("fieldwork/signs/", desk.signs, name="signs"),
    path("fieldwork/signs/<str:code>.pdf", desk.sign, name="sign"),
]
