from django.urls import path

from yimen.mediation.views import panel, roster

app_name = "mediation"
urlpatterns = [
    path("mediation/mediators/", roster.roster, name="roster"),
    path("mediation/mediators/new/", roster.mediator_new, name="mediator_new"),
    path("mediation/mediators/<int:mediator_id>/", roster.mediator_edit, name="mediator_edit"),
    path("mediation/stats/", roster.stats, name="stats"),
    path("cases/<str:code>/mediation/agreement/copies/", panel.agreement_copies, name="agreement_copies"),
    path("cases/<str:code>/mediation/<slug:step>/", panel.step, name="step"),
]
