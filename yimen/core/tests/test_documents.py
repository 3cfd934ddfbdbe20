"""One description, two renderings: the QR block puts a scannable code in the PDF beside its
notes, and the notes in the DOCX, so a paper that carries a link never disagrees between them."""

from io import BytesIO

import docx
import pypdf

from yimen.core.documents import TEXT_WIDTH, Grid, Paper, Qr, cjk_font, column_widths, docx_bytes, pdf_bytes

LINK = "https://yimen.example/public/cases/abc/"


def paper(*blocks) -> Paper:
    return Paper(title="受理回执", issuer="才湾镇综治中心", blocks=list(blocks))


def filled_squares(body: bytes) -> int:
    return pypdf.PdfReader(BytesIO(body)).pages[0].get_contents().get_data().count(b" re f")


def test_the_qr_block_draws_a_code_beside_its_notes_in_the_pdf():
    body = pdf_bytes(paper(Qr(LINK, ["扫描左侧二维码，或访问：", LINK])))
    text = pypdf.PdfReader(BytesIO(body)).pages[0].extract_text()
    assert "扫描左侧二维码，或访问：" in text and LINK in text
    assert filled_squares(body) > 100
    assert filled_squares(pdf_bytes(paper())) == 0  # the squares are the code's, not the page's


def test_the_qr_block_prints_its_notes_in_the_docx():
    body = docx_bytes(paper(Qr(LINK, ["扫描左侧二维码，或访问：", LINK])))
    paragraphs = [p.text for p in docx.Document(BytesIO(body)).paragraphs]
    assert "扫描左侧二维码，或访问：" in paragraphs and LINK in paragraphs


def test_a_table_never_wraps_a_code_or_a_number_inside_itself():
    """The joint-meeting PDF's 编码 column printed one digit per line (issue 21 item 7): a column
    is at least as wide as its longest code, and the long Chinese text column takes the rest."""
    code = "450324106-2026-002129"
    title = "村民反映村道两侧排水沟堵塞，雨天积水漫入农户家中，多次反映未解决" * 2
    rows = [["编码", "风险", "事项", "区域", "主办单位", "联合处置方案"]] + [
        [code, "红色", title, "才湾村", "才湾镇人民调解委员会", "（尚无联合处置方案）"]
    ] * 3
    body = pdf_bytes(Paper(title="联席会议材料", issuer="才湾镇综治中心", blocks=[Grid(rows[0], rows[1:])]))
    lines = pypdf.PdfReader(BytesIO(body)).pages[0].extract_text().splitlines()
    assert sum(code in line for line in lines) == 3  # each code whole on one line
    widths = column_widths(rows, cjk_font(), 10, TEXT_WIDTH)
    assert round(sum(widths)) == round(TEXT_WIDTH) and widths[2] == max(widths)
