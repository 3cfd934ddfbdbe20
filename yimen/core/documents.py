"""Official documents (文书) as DOCX and PDF from one description, so the two never disagree.

A `Paper` is a title, the issuing body, an optional number (文号) and a list of blocks: headings,
paragraphs, label/value fields, tables, signature lines and a QR code with notes beside it.
`docx_bytes` and `pdf_bytes` render it. The PDF embeds the CJK TrueType font of the setting
YIMEN_CJK_FONT (reportlab's STSong-Light is not embedded and shows boxes on machines without
Chinese fonts); the DOCX names common Chinese fonts and leaves the rest to Word or WPS. Platypus
lays the PDF out and wraps CJK text (wordWrap="CJK"), so no paper wraps by hand."""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_NAME = "YimenCJK"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Fields:
    """Label/value lines (当事人：…, 住址：…)."""

    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Grid:
    """A table with a header row."""

    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Signatures:
    """Lines to sign on paper: 当事人（签名）：________  年  月  日."""

    labels: list[str]


@dataclass(frozen=True)
class Qr:
    """A QR code of `data`, `size_mm` square, with lines of text beside it (the receipt's lookup
    link). The DOCX prints the notes only: reportlab cannot raster a PNG here (no renderPM
    backend), so a paper that must scan — the receipt — is printed from the PDF; put `data` in
    the notes when the reader must be able to type it too."""

    data: str
    notes: list[str]
    size_mm: float = 40


Block = Heading | Para | Fields | Grid | Signatures | Qr


@dataclass
class Paper:
    title: str
    issuer: str
    blocks: list[Block] = field(default_factory=list)
    number: str = ""
    dated: date | None = None
    footer: str = ""


@cache
def _font(path: str) -> str:
    pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
    return FONT_NAME


def cjk_font() -> str:
    """The registered name of the embedded CJK font for reportlab."""
    return _font(settings.YIMEN_CJK_FONT)


def qr_drawing(data: str, size: float) -> Drawing:
    """A QR code of `data`, `size` points square: a Platypus flowable, or drawn on a canvas."""
    qr = QrCodeWidget(data)
    x0, y0, x1, y1 = qr.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    return drawing


def draw_qr(pdf, data: str, x: float, y: float, size: float) -> None:
    """Draw a QR code of `data` on a reportlab canvas, `size` points square, lower-left at (x, y)."""
    renderPDF.draw(qr_drawing(data, size), pdf, x, y)


def _date_line(paper: Paper) -> str:
    return f"{paper.dated.year}年{paper.dated.month}月{paper.dated.day}日" if paper.dated else ""


def docx_bytes(paper: Paper) -> bytes:
    doc = DocxDocument()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "宋体", Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")

    def centred(text: str, size: int, bold: bool = False) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.size, run.bold = Pt(size), bold

    centred(paper.issuer, 16)
    centred(paper.title, 20, bold=True)
    if paper.number:
        centred(paper.number, 12)
    for block in paper.blocks:
        if isinstance(block, Heading):
            doc.add_paragraph().add_run(block.text).bold = True
        elif isinstance(block, Para):
            doc.add_paragraph().add_run(block.text).bold = block.bold
        elif isinstance(block, Fields):
            for label, value in block.rows:
                p = doc.add_paragraph()
                p.add_run(f"{label}：").bold = True
                p.add_run(value)
        elif isinstance(block, Grid):
            table = doc.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = text
            for row in block.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        elif isinstance(block, Qr):
            for note in block.notes:
                doc.add_paragraph(note)
        else:
            for label in block.labels:
                doc.add_paragraph(f"{label}：____________________    年    月    日")
    if paper.dated:
        doc.add_paragraph(f"{paper.issuer}\n{_date_line(paper)}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if paper.footer:
        doc.add_paragraph(paper.footer)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def pdf_bytes(paper: Paper) -> bytes:
    font = cjk_font()

    def style(size: float, **extra) -> ParagraphStyle:
        return ParagraphStyle(
            f"s{size}{sorted(extra)}", fontName=font, fontSize=size, leading=size * 1.6, wordWrap="CJK", **extra
        )

    body, centre = style(12), style(12, alignment=TA_CENTER)
    story = [Paragraph(escape(paper.issuer), style(16, alignment=TA_CENTER))]
    story += [Paragraph(escape(paper.title), style(20, alignment=TA_CENTER, spaceBefore=6, spaceAfter=6))]
    if paper.number:
        story.append(Paragraph(escape(paper.number), centre))
    story.append(Spacer(1, 4 * mm))
    for block in paper.blocks:
        story += _pdf_block(block, body, style)
    if paper.dated:
        signed = f"{escape(paper.issuer)}<br/>{_date_line(paper)}"
        story += [Spacer(1, 8 * mm), Paragraph(signed, style(12, alignment=TA_RIGHT))]
    if paper.footer:
        story += [Spacer(1, 6 * mm), Paragraph(escape(paper.footer), style(10))]
    buffer = BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, title=paper.title, author=paper.issuer
    )
    template.build(story)
    return buffer.getvalue()


# A4 less the 25 mm margins pdf_bytes sets.
TEXT_WIDTH = A4[0] - 50 * mm
CELL_PADDING = 12  # reportlab's default 6 pt on each side of a cell


def column_widths(rows: list[list[str]], font: str, size: float, available: float) -> list[float]:
    """Widths for a table's columns: each at least as wide as its longest unbreakable run (a case
    code or a number must never wrap one digit per line, issue 21 item 7), the rest of the page
    shared by how much text each column holds, so the 事项 column wraps and the 编码 column does
    not. Chinese text may break between any two characters; Latin letters and digits only at
    spaces."""
    columns = list(zip(*rows, strict=True)) if rows else []
    least = [max((_unbreakable(text, font, size) for text in col), default=0) + CELL_PADDING for col in columns]
    natural = [
        max((pdfmetrics.stringWidth(text, font, size) for text in col), default=0) + CELL_PADDING for col in columns
    ]
    natural = [max(n, low) for n, low in zip(natural, least, strict=True)]
    if sum(natural) <= available:
        spare = available - sum(natural)
        return [n + spare * n / sum(natural) for n in natural]
    spare = max(available - sum(least), 0)
    stretch = [n - low for n, low in zip(natural, least, strict=True)]
    return [low + (spare * s / sum(stretch) if sum(stretch) else 0) for low, s in zip(least, stretch, strict=True)]


def _unbreakable(text: str, font: str, size: float) -> float:
    runs = re.findall(r"[0-9A-Za-z.\-_/:%]+", text)
    return max((pdfmetrics.stringWidth(run, font, size) for run in runs), default=size)


def _pdf_block(block: Block, body: ParagraphStyle, style) -> list:
    if isinstance(block, Heading):
        return [Paragraph(escape(block.text), style(13, spaceBefore=8, spaceAfter=2))]
    if isinstance(block, Para):
        text = escape(block.text).replace("\n", "<br/>")
        return [Paragraph(f"<b>{text}</b>" if block.bold else text, body)]
    if isinstance(block, Fields):
        return [Paragraph(f"{escape(label)}：{escape(value)}", body) for label, value in block.rows]
    if isinstance(block, Grid):
        cell = style(10)
        rows = [block.header, *block.rows]
        data = [[Paragraph(escape(text), cell) for text in row] for row in rows]
        table = Table(data, repeatRows=1, colWidths=column_widths(rows, cell.fontName, cell.fontSize, TEXT_WIDTH))
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return [Spacer(1, 2 * mm), table, Spacer(1, 2 * mm)]
    if isinstance(block, Qr):
        size = block.size_mm * mm
        notes = [Paragraph(escape(note), style(11)) for note in block.notes]
        table = Table([[qr_drawing(block.data, size), notes]], colWidths=[size + 6 * mm, "*"], hAlign="LEFT")
        # No cell padding at the page's edges: the notes get all the width left, so a link wraps only if it must.
        flush = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (-1, 0), (-1, -1), 0)]
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *flush]))
        return [Spacer(1, 4 * mm), table]
    return [Paragraph(f"{escape(label)}：____________________　　年　　月　　日", body) for label in block.labels]
