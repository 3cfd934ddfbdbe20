from django.urls import path

from yimen.geo import views

app_name = "geo"
urlpatterns = [
    path("regions/", views.region_root, name="region_root"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("map/", views.map_page, name="map"),
    path("map/features/", views.map_features, name="map_features"),
]
