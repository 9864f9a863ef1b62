"""Paper blocks (assistant.quiz.paper.Block) rendered as DOCX (python-docx, 宋体/黑体, A4) or PDF (reportlab,
A4, the Adobe CJK font STSong-Light that reportlab ships: nothing is downloaded; viewers substitute a local CJK
font such as Noto Serif CJK for it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from assistant.quiz import docx_cjk
from assistant.quiz.paper import Block

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

PDF_FONT = "STSong-Light"


def render_docx(blocks: list[Block], path: Path | str) -> Path:
    """One paragraph (or table) per block; A4, CJK fonts on every run."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx_cjk.new_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    for b in blocks:
        if b.kind == "title":
            d.add_heading(b.text, level=1).alignment = center
        elif b.kind == "heading":
            d.add_heading(b.text, level=2)
        elif b.kind == "subheading":
            d.add_heading(b.text, level=3)
        elif b.kind in ("subtitle", "fields"):
            d.add_paragraph(b.text).alignment = center
        elif b.kind == "table":
            _docx_table(d, b.rows)
        elif b.kind == "pagebreak":
            d.add_page_break()
        else:
            p = d.add_paragraph(b.text)
            if b.kind == "option":
                p.paragraph_format.left_indent = Pt(21)
            elif b.kind == "note":
                p.runs[0].font.size = Pt(10)
            p.paragraph_format.space_after = Pt(2 if b.kind == "option" else 6)
    return docx_cjk.save(d, path)


def _docx_table(d: DocxDocument, rows: list[list[str]]) -> None:
    table = d.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    d.add_paragraph()


def _pdf_styles() -> dict:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    base = ParagraphStyle("base", fontName=PDF_FONT, fontSize=10.5, leading=16, wordWrap="CJK", spaceAfter=4)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=8),
        "subtitle": ParagraphStyle("subtitle", parent=base, alignment=TA_CENTER),
        "fields": ParagraphStyle("fields", parent=base, alignment=TA_CENTER, spaceAfter=8),
        "heading": ParagraphStyle("heading", parent=base, fontSize=13, leading=20, spaceBefore=8),
        "subheading": ParagraphStyle("subheading", parent=base, fontSize=11.5, leading=18, spaceBefore=6),
        "note": ParagraphStyle("note", parent=base, fontSize=9.5, textColor="#444444"),
        "option": ParagraphStyle("option", parent=base, leftIndent=21, spaceAfter=1),
        "question": ParagraphStyle("question", parent=base, spaceBefore=4),
        "text": base,
    }


def render_pdf(blocks: list[Block], path: Path | str) -> Path:
    """The same blocks as a PDF on A4."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = _pdf_styles()
    story: list = []
    for b in blocks:
        if b.kind == "pagebreak":
            story.append(PageBreak())
        elif b.kind == "table":
            cells = [[Paragraph(escape(t), styles["text"]) for t in row] for row in b.rows]
            table = Table(cells, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [table, Spacer(1, 6)]
        else:
            story.append(Paragraph(escape(b.text), styles.get(b.kind, styles["text"])))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm,
                            bottomMargin=22 * mm, title=blocks[0].text if blocks else "", author="依据 Yiju")
    doc.build(story)
    return path
