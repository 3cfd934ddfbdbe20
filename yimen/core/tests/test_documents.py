"""One description, two renderings: the QR block puts a scannable code in the PDF beside its
notes, and the notes in the DOCX, so a paper that carries a link never disagrees between them."""

from io import BytesIO

import docx
import pypdf

from yimen.core.documents import Paper, Qr, docx_bytes, pdf_bytes

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
