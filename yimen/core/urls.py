from django.urls import path

from yimen.core.views import audit, calendar, security

app_name = "core"
urlpatterns = [
    path("calendar/", calendar.calendar, name="calendar"),
    path("security/", security.security_policy, name="security_policy"),
    path("audit/", audit.audit_list, name="audit"),
]
