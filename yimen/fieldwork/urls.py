from django.urls import path

from yimen.fieldwork.views import desk, phone

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
    path("fieldwork/patrols/", desk.patrols, name="patrols"),
    path("fieldwork/signs/", desk.signs, name="signs"),
    path("fieldwork/signs/<str:code>.pdf", desk.sign, name="sign"),
]
