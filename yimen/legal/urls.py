from django.urls import path

from yimen.legal import views

app_name = "legal"
urlpatterns = [
    path("cases/<str:code>/legal-aid/<str:step>/", views.aid_step, name="aid_step"),
    path("public/outreach/", views.outreach_menu, name="menu"),
    path("legal/advisers/", views.adviser_roster, name="advisers"),
    path("legal/advisers/<int:adviser_id>/log/", views.adviser_log, name="adviser_log"),
]
