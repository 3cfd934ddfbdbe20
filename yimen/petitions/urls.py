from django.urls import path

from yimen.petitions import views

app_name = "petitions"
urlpatterns = [
    path("petitions/", views.petition_register, name="register"),
    path("petitions/<str:code>/notice/", views.petition_notice, name="notice"),
    path("petitions/<str:code>/opinion/", views.petition_opinion, name="opinion"),
    path("petitions/<str:code>/extension-notice/", views.petition_extension_notice, name="extension_notice"),
]
