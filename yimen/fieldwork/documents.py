"""网格员公示牌: a printable A4 sign per grid with the grid worker's name, a photo placeholder, the
service phone, the micro-grids' informants and a QR code. The QR code dials the grid worker's
service phone: there is no citizen reporting page yet, and a call reaches the worker who reports
it; staff scan the app link printed below it."""

from io import BytesIO

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from yimen.core.documents import cjk_font, draw_qr
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.org.roles import Role


def grid_staff(grid: Region) -> tuple[Membership | None, list[Membership]]:
    """The grid's worker and its micro-grids' informants (active seats)."""
    seats = (
        Membership.objects.filter(is_active=True, jurisdiction__path__startswith=grid.path)
        .filter(role__in=[Role.GRID_WORKER, Role.INFORMANT])
        .select_related("user", "jurisdiction", "unit")
        .order_by("jurisdiction__code")
    )
    worker = next((s for s in seats if s.role == Role.GRID_WORKER and s.jurisdiction_id == grid.pk), None)
    return worker, [s for s in seats if s.role == Role.INFORMANT]


def sign_pdf(*, grid: Region, report_url: str) -> bytes:
    font = cjk_font()
    worker, informants = grid_staff(grid)
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"网格员公示牌 {grid.name}")
    width, height = A4
    left, y = 20 * mm, height - 28 * mm
    pdf.setFillColorRGB(0.05, 0.43, 0.99)
    pdf.rect(0, height - 40 * mm, width, 40 * mm, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(font, 30)
    pdf.drawCentredString(width / 2, y, "网格员公示牌")
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, y - 10 * mm, grid.name)
    pdf.setFillColorRGB(0, 0, 0)
    y = height - 60 * mm
    photo = 45 * mm
    pdf.rect(left, y - photo * 1.3, photo, photo * 1.3)
    pdf.setFont(font, 12)
    pdf.drawCentredString(left + photo / 2, y - photo * 0.65, "照片")
    x = left + photo + 12 * mm
    name = (worker.user.name or worker.user.username) if worker else "（待配备）"
    phone = (worker.service_phone or worker.unit.phone) if worker else ""
    rows = [("网格员", name, 22), ("服务电话", phone or "—", 20), ("所属单位", worker.unit.name if worker else "—", 14)]
    for label, value, size in rows:
        pdf.setFont(font, 12)
        pdf.drawString(x, y - 6 * mm, label)
        pdf.setFont(font, size)
        pdf.drawString(x, y - 16 * mm, value)
        y -= 20 * mm
    y = height - 60 * mm - photo * 1.3 - 14 * mm
    pdf.setFont(font, 14)
    pdf.drawString(left, y, "服务内容：政策宣传、民情走访、矛盾纠纷排查、安全隐患上报、便民代办。")
    y -= 12 * mm
    if informants:
        pdf.drawString(left, y, "微网格信息员：")
        pdf.setFont(font, 12)
        for seat in informants[:8]:
            y -= 8 * mm
            who = seat.user.name or seat.user.username
            pdf.drawString(left + 6 * mm, y, f"{seat.jurisdiction.name}　{who}　{seat.service_phone}")
        y -= 12 * mm
    size = 50 * mm
    draw_qr(pdf, f"tel:{phone}" if phone else report_url, left, y - size, size)
    pdf.setFont(font, 13)
    notes = ["扫码直接拨打网格员服务电话，", "反映隐患、纠纷、诉求。", "网格员手机上报：", report_url]
    for i, line in enumerate(notes):
        pdf.drawString(left + size + 10 * mm, y - 12 * mm - i * 9 * mm, line)
    pdf.setFont(font, 10)
    pdf.drawString(left, 15 * mm, f"{grid.code} · 打印时间 {timezone.localtime():%Y-%m-%d %H:%M}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
