from django.urls import path

from yimen.cases.views import contacts, detail, intake, lists, public, whistles

app_name = "cases"
urlpatterns = [
    path("cases/", lists.case_inbox, name="list"),
    path("cases/new/", intake.intake, name="new"),
    path("cases/new/categories/", intake.categories, name="categories"),
    path("cases/new/regions/", intake.region_picker, name="region_picker"),
    path("cases/new/persons/", intake.person_suggestions, name="person_suggestions"),
    path("cases/new/hints/", intake.hints, name="hints"),
    path("cases/supervision/", lists.supervision_board, name="supervision"),
    path("cases/notifications/read/", lists.notification_read, name="notification_read"),
    path("cases/<str:code>/", detail.case_detail, name="detail"),
    path("cases/<str:code>/receipt/", detail.receipt, name="receipt"),
    path("cases/<str:code>/documents/<str:kind>/", detail.document, name="document"),
    path("cases/<str:code>/attachments/", detail.case_attach, name="attach"),
    path("cases/<str:code>/parties/<int:index>/reveal/", contacts.party_reveal, name="party_reveal"),
    path("cases/<str:code>/parties/<int:index>/register/", contacts.party_register, name="party_register"),
    path("cases/<str:code>/attachments/<int:attachment_id>/", detail.attachment_download, name="attachment"),
    path("cases/<str:code>/whistles/", whistles.whistle_blow, name="whistle_blow"),
    *(
        path(
            f"cases/<str:code>/whistles/<str:whistle_id>/{step}/",
            getattr(whistles, f"whistle_{step}"),
            name=f"whistle_{step}",
        )
        for step in ("arrive", "rate", "release")
    ),
    path("cases/<str:code>/supervision-orders/<int:order_id>/answer/", detail.order_answer, name="order_answer"),
    path("cases/<str:code>/upward-report/", detail.upward_report, name="upward_report"),
    *(
        path(f"cases/<str:code>/actions/{action}/", view, name=f"action_{action}")
        for action, view in detail.ACTION_VIEWS.items()
    ),
    path("public/cases/<str:token>/", public.public_case, name="public"),
]
