from django.urls import path

from yimen.points.views import best, households, meetings, phone, review, shop, wishes

app_name = "points"
urlpatterns = [
    path("points/", review.queue, name="queue"),
    path("points/awards/<int:award_id>/decide/", review.decide, name="decide"),
    path("points/awards/<int:award_id>/photos/<int:photo_id>/", review.award_photo, name="award_photo"),
    path("points/appeals/<int:appeal_id>/decide/", review.appeal_decide, name="appeal_decide"),
    path("points/board/", review.board, name="board"),
    path("points/board/poster.pdf", review.board_poster, name="board_poster"),
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
    path("points/report/", review.report, name="report"),
    path("points/best/", best.best_page, name="best"),
    path("points/best/vote/", best.best_vote, name="best_vote"),
    path("points/wishes/", wishes.wish_list, name="wishes"),
    path("points/meetings/", meetings.meeting_list, name="meetings"),
    path("points/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("points/wishes/<int:wish_id>/close/", wishes.wish_close, name="wish_close"),
    path("points/wishes/<int:wish_id>/case/", wishes.wish_case, name="wish_case"),
    path("points/households/<int:household_id>/wishes/", wishes.wish_record, name="wish_record"),
    # The grid worker's phone screens (fieldwork's /m/ layout).
    path("m/points/", phone.m_points, name="m_points"),
    path("m/points/households/<int:household_id>/", phone.m_household, name="m_household"),
    path("m/points/households/<int:household_id>/propose/", phone.m_propose, name="m_propose"),
    path("m/points/households/<int:household_id>/wishes/", phone.m_wish_record, name="m_wish_record"),
    path("m/wishes/", phone.m_wishes, name="m_wishes"),
]
