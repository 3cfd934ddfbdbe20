"""积分超市 (issue 16 part 3): redemption at the counter, stock-in."""

from django.db import transaction

from yimen.core.errors import Conflict, Invalid
from yimen.org.models import Membership
from yimen.people.models import Household
from yimen.points.models import Entry, Item, Redemption, StockIn
from yimen.points.services._base import append, locked_balance, log, once, village_of


@transaction.atomic
def redeem(
    *, actor: Membership, household: Household, item_id: int, quantity: int, idempotency_key: str | None = None
) -> Redemption:
    """Exchange points for goods: the balance and the stock are both locked and checked in this
    one transaction, so concurrent redemptions never leave a negative balance or oversold stock
    (409 with the figure otherwise; issue 16 part 3)."""
    if quantity < 1:
        raise Invalid("数量至少为 1。", errors={"quantity": ["至少为 1。"]})
    fields = {"household": household.pk, "item": item_id, "quantity": quantity}
    return once(
        actor=actor,
        key=idempotency_key,
        scope="redemption",
        fields=fields,
        make=lambda: _redeem(actor, household, item_id, quantity),
        model=Redemption,
    )


def _redeem(actor: Membership, household: Household, item_id: int, quantity: int) -> Redemption:
    village = village_of(household)
    # Lock order balance → item everywhere, so two counters cannot deadlock.
    balance = locked_balance(household)
    item = Item.objects.select_for_update().filter(pk=item_id, village=village).first()
    if item is None:
        raise Invalid("本村积分超市没有该物品。", errors={"item": ["未知的物品。"]})
    if item.stock < quantity:
        raise Conflict(f"库存不足：{item.name}仅剩 {item.stock} 件，需要 {quantity} 件。", code="stock_short")
    cost = item.price * quantity
    if balance.balance < cost:
        raise Conflict(f"积分不足：该户余额 {balance.balance} 分，需要 {cost} 分。", code="balance_short")
    item.stock -= quantity
    item.save(update_fields=["stock"])
    entry = append(
        balance,
        points=-cost,
        village=village,
        kind=Entry.Kind.REDEMPTION,
        label=f"兑换{item.name}×{quantity}",
        by=actor,
    )
    redemption = Redemption.objects.create(
        household=household, item=item, quantity=quantity, points=cost, entry=entry, by=actor
    )
    log(actor, "points.redeem", f"household:{household.pk}", item=item.pk, quantity=quantity, points=cost)
    return redemption


@transaction.atomic
def item_stock_in(*, actor: Membership, item: Item, quantity: int, note: str = "") -> Item:
    """Record goods received into the supermarket (入库): a stock-in record for the monthly
    account and the stock moved with it, under the item's lock (issue 16 part 3)."""
    if quantity < 1:
        raise Invalid("入库数量至少为 1。", errors={"quantity": ["至少为 1。"]})
    item = Item.objects.select_for_update().get(pk=item.pk)
    item.stock += quantity
    item.save(update_fields=["stock"])
    StockIn.objects.create(item=item, quantity=quantity, note=note.strip(), by=actor)
    log(actor, "points.stock_in", f"item:{item.pk}", quantity=quantity, stock=item.stock)
    return item
