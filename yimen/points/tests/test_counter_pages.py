"""The village counter as its users see it (issue 16 parts 2 and 3): find a household, propose,
exchange points with a receipt, stock-in and the month's account, appeals decided by another."""

import pytest

from yimen.cases.tests.test_documents import pdf_text
from yimen.points import selectors, services
from yimen.points.models import Appeal, Redemption, StockIn

from .conftest import award

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [1, 6])
def test_the_household_lookup_costs_the_same_for_one_row_or_many(
    client, seats, homes, n, django_assert_max_num_queries
):
    from yimen.people.tests.samples import make_resident

    for seq in range(n):
        make_resident(seats["clerk"], f"唐{seq}号", seq=500 + seq)
    award(seats, homes["wang"])
    client.force_login(seats["village"].user)
    with django_assert_max_num_queries(12):
        page = client.get("/points/households/").content.decode()
    assert page.count("/points/households/") >= n + 2 and "王德明" in page
    found = client.get("/points/households/", {"q": "王德"}).content.decode()
    assert "王德明" in found and "李秀英" not in found and "蒋小塘" not in found  # 小塘村 is out of reach


def test_a_proposal_refused_keeps_what_was_typed_and_a_good_one_waits(client, seats, homes):
    client.force_login(seats["gridworker"].user)
    url = f"/points/households/{homes['wang'].pk}/propose/"
    refused = client.post(url, {"rule": "", "note": "帮邻居抢收稻谷"})
    html = refused.content.decode()
    assert refused.status_code == 422 and "请选择赋分事项。" in html and 'value="帮邻居抢收稻谷"' in html
    taken = client.post(
        url, {"rule": "fam-harmony", "note": "帮邻居抢收稻谷", "evidence": "村民小组长见证"}, follow=True
    )
    page = taken.content.decode()
    assert "待村两委审核" in page and 'data-testid="pending"' in page
    assert selectors.balance_of(homes["wang"]) == 0  # nothing reaches the ledger before approval


def test_a_redemption_prints_a_receipt_once_and_refuses_what_the_balance_cannot_pay(client, seats, homes, item):
    award(seats, homes["wang"], rule="ind-cooperative")
    before = selectors.balance_of(homes["wang"])
    client.force_login(seats["village"].user)
    url = f"/points/households/{homes['wang'].pk}/redeem/"
    form = {"item": str(item.pk), "quantity": "1", "key": "counter-1"}
    first = client.post(url, form)
    again = client.post(url, form)  # the clerk's double tap
    assert first.status_code == 302 and again.url == first.url
    assert Redemption.objects.count() == 1 and selectors.balance_of(homes["wang"]) == before - item.price
    receipt = client.get(first.url).content.decode()
    assert "洗衣粉 × 1" in receipt and f"{before - item.price} 分" in receipt
    pdf = client.get(first.url.replace("/receipt/", "/receipt.pdf"))
    text = pdf_text(pdf.content)
    assert pdf["Content-Type"] == "application/pdf" and "洗衣粉" in text and "领取人" in text and "王德明" in text
    short = client.post(url, {"item": str(item.pk), "quantity": "99", "key": "counter-2"})
    assert short.status_code == 422 and "库存不足" in short.content.decode()
    outsider = client.get(f"/points/households/{homes['xiaotang'].pk}/")
    assert outsider.status_code == 404


def test_stock_in_feeds_the_months_account(client, seats, homes, item):
    client.force_login(seats["village"].user)
    refused = client.post("/points/shop/stock-in/", {"item": str(item.pk), "quantity": "0"})
    assert refused.status_code == 422 and "入库数量至少为 1。" in refused.content.decode()
    client.post("/points/shop/stock-in/", {"item": str(item.pk), "quantity": "20", "note": "镇工会捐赠"})
    assert StockIn.objects.get().quantity == 20
    item.refresh_from_db()
    assert item.stock == 25
    award(seats, homes["wang"], rule="ind-cooperative")
    services.redeem(actor=seats["village"], household=homes["wang"], item_id=item.pk, quantity=1)
    page = client.get("/points/shop/").content.decode()
    assert "1 户兑换，共用积分 10 分" in page
    row = page.split("<td>洗衣粉</td>")[-1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:-1]] == ["20", "1", "1", "10", "24"]
    assert client.get("/points/shop/", {"month": "2026-13"}).status_code == 422


def test_an_appeal_is_recorded_then_decided_by_someone_other_than_the_approver(client, seats, homes):
    award(seats, homes["wang"], rule="san-burn")  # a deduction, approved by the village seat
    entry = selectors.ledger(homes["wang"])[0]
    client.force_login(seats["village"].user)
    url = f"/points/households/{homes['wang'].pk}/entries/{entry.pk}/appeal/"
    refused = client.post(url, {"grounds": ""})
    assert refused.status_code == 422 and "请写明申诉理由。" in refused.content.decode()
    client.post(url, {"grounds": "当天在外务工，焚烧的是邻户"})
    appeal = Appeal.objects.get()
    assert "该笔积分由您审核，须由其他村干部处理" in client.get("/points/").content.decode()
    own = client.post(f"/points/appeals/{appeal.pk}/decide/", {"upheld": "yes", "decision": "核实属实"}, follow=True)
    assert "审核该积分的人不能处理对它的申诉。" in own.content.decode()
    client.force_login(seats["gridchief"].user)
    queue = client.get("/points/").content.decode()
    assert "当天在外务工" in queue
    client.post(f"/points/appeals/{appeal.pk}/decide/", {"upheld": "yes", "decision": "经邻户证实，申诉成立"})
    assert Appeal.objects.get().state == Appeal.State.UPHELD and selectors.balance_of(homes["wang"]) == 0
    page = client.get(f"/points/households/{homes['wang'].pk}/").content.decode()
    assert "申诉成立" in page and "冲正" in page


def test_consent_to_the_red_board_is_recorded_and_withdrawn_on_the_page(client, seats, homes):
    client.force_login(seats["village"].user)
    url = f"/points/households/{homes['wang'].pk}/consent/"
    client.post(url, {"given": "yes"})
    assert selectors.consents(homes["wang"])
    client.post(url, {"given": "no"})
    assert not selectors.consents(homes["wang"])
    client.force_login(seats["gridworker"].user)
    assert client.post(url, {"given": "yes"}).status_code == 403


def test_a_proposal_with_photos_shows_them_to_the_committee_and_to_nobody_outside(client, seats, homes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yimen.core.tests.samples import jpeg
    from yimen.points.models import AwardPhoto

    client.force_login(seats["gridworker"].user)
    url = f"/points/households/{homes['wang'].pk}/propose/"
    fake = SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")
    refused = client.post(url, {"rule": "san-yard", "note": "庭院整洁", "photos": [fake]})
    assert refused.status_code == 422 and "第 1 张不是 JPEG 或 PNG 图片。" in refused.content.decode()
    picture = jpeg((64, 48))
    photo = SimpleUploadedFile("yard.jpg", picture, content_type="image/jpeg")
    client.post(url, {"rule": "san-yard", "note": "庭院整洁", "photos": [photo]})  # san-yard wants a photo
    stored = AwardPhoto.objects.get()
    with open(stored.file.storage.path(stored.file.name), "rb") as at_rest:
        assert picture[:64] not in at_rest.read()  # sealed at rest, readable only through the service
    client.force_login(seats["village"].user)
    queue = client.get("/points/").content.decode()
    link = f"/points/awards/{stored.award_id}/photos/{stored.pk}/"
    assert link in queue
    assert b"".join(client.get(link).streaming_content) == picture
    client.force_login(seats["gridworker2"].user)  # 小塘村's grid worker
    assert client.get(link).status_code == 404
