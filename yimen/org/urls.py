from django.urls import path

from yimen.org.views import units, users

app_name = "org"
urlpatterns = [
    path("units/", units.unit_list, name="unit_list"),
    path("units/<str:code>/", units.unit_detail, name="unit_detail"),
    path("units/<str:code>/edit/", units.unit_edit, name="unit_edit"),
    path("users/", users.user_list, name="user_list"),
    path("users/<str:username>/", users.user_detail, name="user_detail"),
    path("users/<str:username>/password/", users.user_password, name="user_password"),
    path("users/<str:username>/active/", users.user_active, name="user_active"),
    path("users/<str:username>/otp/reset/", users.user_otp_reset, name="user_otp_reset"),
    path("users/<str:username>/tokens/revoke/", users.user_tokens_revoke, name="user_tokens_revoke"),
    path("users/<str:username>/seats/", users.seat_grant, name="seat_grant"),
    path("users/<str:username>/seats/<int:seat_id>/revoke/", users.seat_revoke, name="seat_revoke"),
]
