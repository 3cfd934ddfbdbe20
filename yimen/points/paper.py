"""兑换凭证 of the 积分超市 as a paper the household signs at the counter (issue 16 part 3)."""

from django.utils import timezone

from yimen.core.documents import Fields, Paper, Signatures
from yimen.geo.models import Region
from yimen.points.models import Redemption


def receipt_number(redemption: Redemption) -> str:
    return f"JF{timezone.localtime(redemption.at):%Y%m%d}-{redemption.pk}"


def receipt(redemption: Redemption, village: Region) -> Paper:
    return Paper(
        title="积分超市兑换凭证",
        issuer=f"{village.name}村民委员会",
        number=receipt_number(redemption),
        dated=timezone.localdate(redemption.at),
        blocks=[
            Fields(
                [
                    ("户主", redemption.household.head.name if redemption.household.head else "（户主未登记）"),
                    ("住址", redemption.household.address),
                    ("物品", f"{redemption.item.name} × {redemption.quantity}"),
                    ("使用积分", f"{redemption.points} 分"),
                    ("兑换后余额", f"{redemption.entry.balance_after} 分"),
                    ("时间", f"{timezone.localtime(redemption.at):%Y-%m-%d %H:%M}"),
                    ("经办人", f"{redemption.by.user.name}（{redemption.by.unit.name}）"),
                ]
            ),
            Signatures(["领取人（签名）"]),
        ],
    )
