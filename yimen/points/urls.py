from django.urls import path

from yimen.points.views import households, review, shop

app_name = "points"
urlpatterns = [
    path("points/", review.queue, name="queue"),
    path("points/awards/<int:award_id>/decide/", review.decide, name="decide"),
    path("points/appeals/<int:appeal_id>/decide/", review.appeal_decide, name="appeal_decide"),
    path("points/board/", review.board, name="board"),
    path("points/households/", households.household_find, name="households"),
    path("points/households/<int:household_id>/", households.household_page, name="household"),
    path("points/households/<int:household_id>/propose/", households.propose, name="propose"),
    path("points/households/<int:household_id>/redeem/", households.redeem, name="redeem"),
    path("points/households/<int:household_id>/consent/", households.consent, name="consent"),
    path("points/households/<int:household_id>/entries/<int:entry_id>/appeal/", households.appeal, name="appeal"),
    path("points/shop/", shop.shop, name="shop"),
    path("points/shop/stock-in/", shop.stock_in, name="stock_in"),
    path("points/redemptions/<int:redemption_id>/receipt/", shop.receipt, name="receipt"),
    path("points/redemptions/<int:redemption_id>/receipt.pdf", shop.receipt_pdf, name="receipt_pdf"),
]
