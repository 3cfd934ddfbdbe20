"""兑换凭证 of the 积分超市 as a paper the household signs at the counter (issue 16 part 3)."""

from django.utils import timezone

from yimen.core.documents import Fields, Grid, Heading, Paper, Para, Signatures
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


def board_poster(village: Region, period: str, red: list[dict], black: list[dict]) -> Paper:
    """红黑榜 for the noticeboard: the red board names only consenting households; the black board
    shows behaviour and counts, never a name (个人信息保护法)."""
    return Paper(
        title=f"{village.name}红黑榜（{period}）",
        issuer=f"{village.name}村民委员会",
        dated=timezone.localdate(),
        blocks=[
            Heading("红榜"),
            Grid(
                ["名次", "户主", "积分"],
                [[str(n), row["name"] or "（户主未登记）", str(row["points"])] for n, row in enumerate(red, 1)],
            )
            if red
            else Para("本期暂无。"),
            Heading("黑榜（不公示姓名）"),
            Grid(
                ["类别", "行为", "次数", "扣分"],
                [[row["category_label"], row["behaviour"], str(row["count"]), str(row["points"])] for row in black],
            )
            if black
            else Para("本期暂无。"),
            Para("红榜只列出书面同意公示的农户，同意可随时撤回；黑榜依《个人信息保护法》只公示行为与次数。"),
        ],
    )
