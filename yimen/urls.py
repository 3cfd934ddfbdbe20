from django.urls import include, path

from yimen.api import api
from yimen.org.views import auth, otp

handler400 = "yimen.core.views.errors.bad_request"
handler404 = "yimen.core.views.errors.not_found"

urlpatterns = [
    path("accounts/login/", auth.login_view, name="login"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/otp/", otp.otp_verify, name="otp_verify"),
    path("accounts/otp/enrol/", otp.otp_enrol, name="otp_enrol"),
    path("seat/", auth.switch_seat, name="switch_seat"),
    path("", auth.home, name="home"),
    path("api/v1/", api.urls),
    path("", include("yimen.org.urls")),
    path("", include("yimen.geo.urls")),
    path("", include("yimen.core.urls")),
    path("", include("yimen.people.urls")),
    path("", include("yimen.cases.urls")),
    path("", include("yimen.mediation.urls")),
    path("", include("yimen.petitions.urls")),
    path("", include("yimen.legal.urls")),
    path("", include("yimen.fieldwork.urls")),
    path("", include("yimen.points.urls")),
    path("", include("yimen.emergency.urls")),
    path("", include("yimen.smart.urls")),
    path("", include("yimen.citizens.urls")),
    path("", include("yimen.insight.urls")),
]
