from django.urls import path

from yimen.core import views

app_name = "core"
urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("security/", views.security_policy, name="security_policy"),
    path("audit/", views.audit_list, name="audit"),
]
