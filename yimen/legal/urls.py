from django.urls import path

from yimen.legal import views

app_name = "legal"
urlpatterns = [
    path("cases/<str:code>/legal-aid/<str:step>/", views.aid_step, name="aid_step"),
    path("public/outreach/", views.outreach_menu, name="menu"),
    path("legal/advisers/", views.adviser_roster, name="advisers"),
    path("legal/advisers/<int:adviser_id>/log/", views.adviser_log, name="adviser_log"),
    path("legal/outreach/orders/", views.outreach_orders, name="orders"),
    path("legal/outreach/orders/new/", views.outreach_order_new, name="order_new"),
    path("legal/outreach/orders/<int:order_id>/schedule/", views.outreach_order_schedule, name="order_schedule"),
    path("legal/outreach/report/", views.outreach_report, name="report"),
    path("legal/training/", views.training_list, name="training"),
    path("legal/training/new/", views.training_new, name="training_new"),
    path("legal/training/<int:session_id>/", views.training_detail, name="training_detail"),
]
