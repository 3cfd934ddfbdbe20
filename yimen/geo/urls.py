from django.urls import path

from yimen.geo import views

app_name = "geo"
urlpatterns = [
    path("regions/", views.region_root, name="region_root"),
    path("map/", views.map_page, name="map"),
]
