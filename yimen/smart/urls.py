from django.urls import path

from yimen.smart import views

app_name = "smart"
urlpatterns = [
    path("smart/warnings/", views.warnings, name="warnings"),
    path("smart/warnings/<int:warning_id>/dismiss/", views.warning_dismiss, name="warning_dismiss"),
    path("smart/cases/<str:code>/links/", views.link, name="link"),
]
