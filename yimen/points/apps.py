from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "yimen.points"
    label = "points"
    verbose_name = "积分制（村民自治）"

    def ready(self):
        from yimen.core import audit
        from yimen.org.home import register_phone_panel
        from yimen.points.views.phone import phone_card

        register_phone_panel(phone_card)

        audit.register_labels(
            {
                "points.propose": "提出积分申报",
                "points.approve": "审核通过积分",
                "points.reject": "驳回积分申报",
                "points.reverse": "冲正积分",
                "points.redeem": "积分超市兑换",
                "points.consent": "红榜公示同意",
                "points.rules": "发布积分细则",
                "points.wish": "记录微心愿",
                "points.wish_close": "办结微心愿",
                "points.wish_case": "微心愿转为案件",
                "points.appeal": "积分申诉",
                "points.appeal_decide": "处理积分申诉",
                "points.stock_in": "积分超市入库",
                "points.meeting": "记录村民议事",
                "points.best": "最美农家投票",
            }
        )
