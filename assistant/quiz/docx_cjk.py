"""DOCX in Chinese print conventions: A4 page, 宋体 body and 黑体 headings set as explicit fonts (eastAsia included)
in the styles and in every run, never Word's theme fonts; the font table names Noto CJK as the alternate for
machines without 宋体/黑体 (LibreOffice on Debian)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.text.font import CT_RPr

BODY_FONT, HEADING_FONT = "宋体", "黑体"
FALLBACK = {"宋体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADING_SIZES = {"Title": 18, "Heading 1": 16, "Heading 2": 14, "Heading 3": 12}


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def set_rfonts(rpr: CT_RPr, font: str) -> None:
    """Explicit ascii/hAnsi/eastAsia fonts on a run or style property element; theme attributes removed (a theme
    font wins over an explicit one in Word)."""
    rfonts = rpr.get_or_add_rFonts()  # python-docx's CT_RPr keeps the schema order (after rStyle)
    for attr in list(rfonts.attrib):
        if "heme" in attr:  # asciiTheme, eastAsiaTheme, hAnsiTheme, cstheme
            del rfonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(_q(attr), font)


def new_document() -> DocxDocument:
    """An empty A4 document (margins 25/20 mm) whose styles use 宋体/黑体, black headings."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm, Pt, RGBColor

    d = docx.Document()
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(20)
    defaults = d.styles.element.find(f"{_q('docDefaults')}/{_q('rPrDefault')}/{_q('rPr')}")
    if defaults is not None:
        set_rfonts(defaults, BODY_FONT)
        lang = defaults.find(_q("lang"))
        if lang is not None:
            lang.set(_q("eastAsia"), "zh-CN")
    for style in d.styles:
        if style.type not in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            continue
        heading = style.name in HEADING_SIZES or style.name.startswith("Heading")
        set_rfonts(style.element.get_or_add_rPr(), HEADING_FONT if heading else BODY_FONT)
        if heading:
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.size = Pt(HEADING_SIZES.get(style.name, 12))
    d.styles["Normal"].font.size = Pt(11)
    _font_fallback(d)
    return d


def _font_fallback(d: DocxDocument) -> None:
    """宋体/黑体 entries in the font table with Noto CJK as their alternate name."""
    part = next((p for p in d.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    for name, alt in FALLBACK.items():
        font = etree.SubElement(root, _q("font"))
        font.set(_q("name"), name)
        etree.SubElement(font, _q("altName")).set(_q("val"), alt)
        etree.SubElement(font, _q("charset")).set(_q("val"), "86")  # GB2312
        etree.SubElement(font, _q("family")).set(_q("val"), "roman" if name == BODY_FONT else "modern")
        etree.SubElement(font, _q("pitch")).set(_q("val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def fix_run_fonts(d: DocxDocument) -> None:
    """Every run of the body and of tables gets its font in its own properties: 黑体 in headings, else 宋体."""
    paragraphs = list(d.paragraphs)
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for p in paragraphs:
        name = p.style.name if p.style is not None else ""
        font = HEADING_FONT if name in HEADING_SIZES or name.startswith("Heading") else BODY_FONT
        for run in p.runs:
            set_rfonts(run._element.get_or_add_rPr(), font)


def save(d: DocxDocument, path: Path | str) -> Path:
    """Fonts fixed on every run, parent folder created, saved."""
    fix_run_fonts(d)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path
