"""积分制 in a real browser (issue 16): the grid worker proposes an award for a household on a
390 px phone, with a photo the page shrinks before sending; the village committee approves it
at the desk (1366 px), exchanges points at the 积分超市 counter with a receipt, and the
household appears on the 红榜 it consented to."""

import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from tests.browser.test_case_flow import DESKTOP, PHONE, sign_out
from yimen.core.tests.samples import jpeg
from yimen.geo.models import Region
from yimen.people.tests.samples import make_resident
from yimen.points.models import Award, Item
from yimen.points.tests.conftest import CAIWAN, adopt_default

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def counter(persona):
    seats = {name: persona(name) for name in ("clerk", "dispatcher", "gridworker", "village")}
    adopt_default(seats)
    home = make_resident(seats["clerk"], "王德明", seq=401).household
    item = Item.objects.create(village=Region.objects.get(code=CAIWAN), name="洗衣粉", price=10, stock=5)
    return {"home": home, "item": item}


def propose_with_photo(page, rule: str, note: str, photo, *, witness: str = "") -> None:
    """Fill the household page's 申报 form (desk or phone screen) with a photo and send it; the
    page must stay within the phone's width."""
    propose = page.get_by_test_id("propose")
    propose.get_by_label("赋分事项").select_option(rule)
    propose.get_by_label("事由").fill(note)
    if witness:
        propose.get_by_label("佐证（证明人或说明）").fill(witness)
    propose.get_by_label("照片佐证（最多 3 张）").set_input_files(str(photo))
    with page.expect_navigation():
        propose.get_by_role("button", name="提交申报").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_propose_on_the_phone_approve_redeem_and_the_board(page, counter, tmp_path):
    home = counter["home"]
    photo = tmp_path / "cooperative.jpg"
    photo.write_bytes(jpeg((2400, 1800)))  # a phone photo, shrunk in the page before it is sent
    page.set_viewport_size(PHONE)
    sign_in(page, "gridworker", PASSWORD)
    page.goto(f"{page.base}/points/households/")
    page.get_by_label("户主姓名或住址").fill("王德明")
    page.get_by_role("button", name="查找").click()
    page.get_by_role("link", name="王德明").click()
    propose_with_photo(
        page, "ind-cooperative", "带头成立油茶专业合作社，带动 12 户增收", photo, witness="村民小组长见证"
    )
    expect(page.get_by_test_id("pending")).to_contain_text("待审核")
    sign_out(page)

    page.set_viewport_size(DESKTOP)
    sign_in(page, "village", PASSWORD)
    page.get_by_test_id("menu").get_by_role("link", name="积分审核").click()
    card = page.get_by_test_id("award-queue").locator("li", has_text="王德明")
    expect(card.get_by_role("img", name="佐证照片 1")).to_be_visible()
    # Visible is not loaded: wait for the photo to decode (a broken one rejects) before measuring it.
    assert card.get_by_role("img", name="佐证照片 1").evaluate("i => i.decode().then(() => i.naturalWidth)") == 1600
    with page.expect_navigation():
        card.get_by_role("button", name="通过").click()
    expect(page.get_by_text("已审核通过，积分已记入该户台账。")).to_be_visible()

    page.goto(f"{page.base}/points/households/{home.pk}/")
    balance = int(page.get_by_test_id("balance").inner_text())
    assert balance > 0
    page.get_by_role("button", name="记录同意公示").click()
    redeem = page.get_by_test_id("redeem")
    redeem.get_by_label("兑换物品").select_option(label=f"洗衣粉（10 分，库存 {counter['item'].stock}）")
    redeem.get_by_label("数量").fill("1")
    with page.expect_navigation():
        redeem.get_by_role("button", name="兑换并打印凭证").click()
    expect(page.get_by_test_id("receipt")).to_contain_text("洗衣粉 × 1")
    expect(page.get_by_test_id("receipt-balance")).to_have_text(f"{balance - 10} 分")
    pdf = page.request.get(f"{page.base}{page.get_by_test_id('receipt-pdf').get_attribute('href')}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    page.get_by_test_id("menu").get_by_role("link", name="红黑榜").click()
    page.get_by_label("月份").fill(timezone.localdate().strftime("%Y-%m"))
    expect(page.get_by_test_id("red-board")).to_contain_text("王德明")
    page.get_by_test_id("menu").get_by_role("link", name="积分超市").click()
    expect(page.get_by_test_id("account-totals")).to_contain_text("1 户兑换，共用积分 10 分")
    assert page.errors == []


def test_the_grid_worker_proposes_with_a_photo_and_records_a_wish_on_the_phone_screens(page, counter, tmp_path):
    photo = tmp_path / "yard.jpg"
    photo.write_bytes(jpeg((2400, 1800)))  # a 4 MP phone photo: shrunk to ~1600 px before it is sent
    page.set_viewport_size(PHONE)
    sign_in(page, "gridworker", PASSWORD)
    page.goto(f"{page.base}/m/points/")
    page.get_by_role("link", name="王德明").click()
    propose_with_photo(page, "san-yard", "庭院打扫得干干净净，柴草堆放整齐", photo)
    expect(page.get_by_test_id("pending")).to_contain_text("庭院干净整洁")
    award = Award.objects.get()
    with award.photos.get().file.open("rb") as stored:
        assert max(Image.open(io.BytesIO(stored.read())).size) == 1600  # shrunk on the phone
    page.get_by_test_id("wish").get_by_label("微心愿").fill("希望组里修一个垃圾分类投放点")
    with page.expect_navigation():
        page.get_by_test_id("wish").get_by_role("button", name="记录").click()
    expect(page.get_by_test_id("wishes")).to_contain_text("希望组里修一个垃圾分类投放点")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
