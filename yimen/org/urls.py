from django.urls import path

from yimen.org.views import units, users

app_name = "org"
urlpatterns = [
    path("units/", units.unit_list, name="unit_list"),
    path("units/<str:code>/", units.unit_detail, name="unit_detail"),
    path("users/", users.user_list, name="user_list"),
]
