from django.urls import path

from yimen.citizens.views import keys, pages

app_name = "citizens"
urlpatterns = [
    path("public/cases/<str:token>/verify/", pages.rating_verify, name="rating_verify"),
    path("s/", pages.report_page, name="report"),
    path("s/r/<str:token>/", pages.report_status, name="status"),
    path("s/find/", pages.lookup, name="lookup"),
    path("open311/keys/", keys.key_list, name="open311_keys"),
    path("open311/keys/<int:key_id>/revoke/", keys.key_revoke, name="open311_key_revoke"),
]
