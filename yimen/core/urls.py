from django.urls import path

from yimen.core.views import audit, calendar, security

app_name = "core"
urlpatterns = [
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/days/", calendar.calendar_day_set, name="calendar_day_set"),
    path("calendar/days/remove/", calendar.calendar_day_remove, name="calendar_day_remove"),
    path("calendar/years/", calendar.calendar_year_mark_known, name="calendar_year_mark_known"),
    path("security/", security.security_policy, name="security_policy"),
    path("audit/", audit.audit_list, name="audit"),
    path("audit/verify/", audit.audit_verify, name="audit_verify"),
]
