from django.urls import path

from yimen.points import views

app_name = "points"
urlpatterns = [
    path("points/", views.queue, name="queue"),
    path("points/awards/<int:award_id>/decide/", views.decide, name="decide"),
    path("points/board/", views.board, name="board"),
]
