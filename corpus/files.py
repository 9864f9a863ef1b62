"""Documents from files: Markdown with YAML front-matter, PDF (pypdf), DOCX and plain text."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from corpus import yamlio
from corpus.articles import parse_articles, provisions_for, reflow
from corpus.catalog import ALIASES, sectors_for, short_name
from corpus.models import IN_FORCE, REPEALED, Document, Provision

SUFFIXES = {".md", ".markdown", ".txt", ".pdf", ".docx"}
DATE = re.compile(r"(\d{4})[-年.](\d{1,2})[-月.](\d{1,2})")


class IngestError(Exception):
    """A file that cannot be ingested; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{Path(path).name}: {reason}")
        self.path = str(path)
        self.reason = reason


def _dates(text: str) -> list[str]:
    return [f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in DATE.findall(str(text or ""))]


def normalize_status(raw: str) -> tuple[str, str]:
    """Front-matter status text → (canonical status, the full note)."""
    raw = str(raw or "").strip()
    for canonical in (IN_FORCE, REPEALED, "已被修改", "尚未施行"):
        if raw.startswith(canonical):
            return canonical, raw
    if raw.startswith("失效"):
        return REPEALED, raw
    return "效力待核实", raw


def read_text(path: Path) -> str:
    """Decode UTF-8 (with BOM) or GB18030; anything else is an error naming the file."""
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(path, "文件为空")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise IngestError(path, "无法识别的文本编码（需为 UTF-8 或 GB18030）")


def split_front_matter(path: Path, text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        raise IngestError(path, "front-matter 未闭合（缺少结束的 ---）")
    try:
        meta = yamlio.safe_load(text[3:end]) or {}
    except yaml.YAMLError as exc:
        raise IngestError(path, f"front-matter 不是合法的 YAML：{str(exc).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise IngestError(path, "front-matter 不是键值对")
    return meta, text[end + 4 :]


def document_from_meta(path: Path, meta: dict, fallback_title: str) -> Document:
    title = str(meta.get("title") or fallback_title).strip()
    key = short_name(title)
    status, note = normalize_status(meta.get("status", ""))
    publish = _dates(meta.get("publish_date", ""))
    effective = _dates(meta.get("effective_date", ""))
    return Document(
        key=key, title=title, doc_type=str(meta.get("doc_type") or guess_type(title)),
        aliases=ALIASES.get(key, []), issuer=str(meta.get("issuer") or meta.get("publisher") or ""),
        doc_number=str(meta.get("doc_number") or ""), publish_date=publish[0] if publish else "",
        effective_date=effective[0] if effective else "", version_date=max(publish) if publish else "",
        status=status or "效力待核实", status_note=plain_words(note) if note != status else "",
        version_effective_date=_own_effective(effective, max(publish) if publish else ""),
        source=_source(meta, path), path=str(path), sectors=sectors_for(key),
        notes=str(meta.get("notes") or meta.get("normalization") or ""),
    )


def _own_effective(effective: list[str], version: str) -> str:
    """Of the effective dates a front matter lists ('2003-06-01（2009年修订自2009-05-01起施行）'), the one of
    this version: the latest on or after the version date; "" when none is (only the original's is known)."""
    own = [d for d in effective if not version or d >= version]
    return max(own) if own else ""


def plain_words(text: str) -> str:
    """Front-matter notes refer to their own fields ('见notes'); users see plain words."""
    text = re.sub(r"[（(]notes[)）]", "", text)
    return re.sub(r"(?:语料)?(?:文件)?(?:的)?notes", "语料文件的说明", text)


def _source(meta: dict, path: Path) -> str:
    parts = [str(meta[k]) for k in ("source_repo", "source_path", "source_url") if meta.get(k)]
    return "；".join(parts) or str(path)


def guess_type(title: str) -> str:
    if title.endswith("法") or title.endswith("法典"):
        return "法律"
    if title.endswith("条例"):
        return "行政法规"
    if title.endswith(("办法", "规定", "规则", "细则")):
        return "部门规章"
    return "规范性文件"


def extract_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(path, "PDF 已加密，无法读取")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(path, f"PDF 损坏或被截断（{type(exc).__name__}）") from None
    except Exception as exc:  # pypdf raises many internal types on broken files
        raise IngestError(path, f"PDF 无法解析（{type(exc).__name__}）") from None
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(path, "PDF 中没有可提取的文字（可能是扫描件，需要先 OCR）")
    return text


def extract_docx(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile/KeyError/lxml errors on broken files
        raise IngestError(path, f"DOCX 损坏或不是 Word 文档（{type(exc).__name__}）") from None
    return "\n".join(p.text for p in document.paragraphs)


def load_file(path: Path) -> tuple[Document, list[Provision]]:
    """One file → its document and provisions. Raises IngestError with a clear reason."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(path, f"不支持的文件类型 {suffix}")
    if suffix == ".pdf":
        meta, body, wrapped = {}, extract_pdf(path), True
    elif suffix == ".docx":
        meta, body, wrapped = {}, extract_docx(path), False
    else:
        meta, body = split_front_matter(path, read_text(path))
        wrapped = suffix == ".txt"
    lines = body.splitlines()
    if wrapped:
        lines = reflow(lines)
    articles, preamble = parse_articles(lines)
    if not articles:
        raise IngestError(path, "未找到“第X条”形式的条文")
    fallback = next((ln for ln in preamble if len(ln) <= 60), path.stem)
    doc = document_from_meta(path, meta, fallback)
    return doc, provisions_for(doc, articles)
