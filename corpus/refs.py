"""References to provisions in free text: '特种设备安全法第九十三条', '道交法94条', '《X》第N条第M款第（K）项'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpus.asks import BRACKET_YEAR
from corpus.catalog import TAIL_BOUNDARY
from corpus.numerals import NUMBER, cn_to_int

if TYPE_CHECKING:
    from corpus.load import Corpus

TAIL = re.compile(
    rf"(?:\s*{BRACKET_YEAR}|\s*(?:19|20)\d{{2}}\s*年?\s*版)?"  # '行政处罚法（2017年）第二十七条', '…2021版第十四条'
    rf"\s*第?\s*({NUMBER})\s*条(?:之([一二三四五六七八九十]+))?"
    rf"(?:\s*第\s*({NUMBER})\s*款)?(?:\s*第?\s*(?:[（(]\s*({NUMBER})\s*[)）]|({NUMBER}))\s*项)?")
BARE_TAIL = re.compile(rf"\s*({NUMBER})\s*(?:条|(?![\d年月日号元万%．.个天项岁]))")  # not a date or an amount


@dataclass
class Ref:
    """A parsed reference; `doc_key` is None when the name is not a known document."""

    raw: str
    start: int
    end: int
    name: str
    doc_key: str | None
    article: int
    suffix: int = 0
    para: int | None = None
    item: int | None = None

    @property
    def article_id(self) -> str | None:
        if not self.doc_key:
            return None
        return f"{self.doc_key}/{self.article}-{self.suffix}" if self.suffix else f"{self.doc_key}/{self.article}"

    @property
    def provision_id(self) -> str | None:
        """Most specific id: article/款/项 (款 defaults to 1 when only a 项 is given)."""
        aid = self.article_id
        if aid is None:
            return None
        if self.item is not None:
            return f"{aid}/{self.para or 1}/{self.item}"
        if self.para is not None:
            return f"{aid}/{self.para}"
        return aid


def _num(text: str | None) -> int | None:
    return cn_to_int(text) if text else None


def _name_pattern(corpus: Corpus) -> re.Pattern:
    names = sorted(corpus.alias_index, key=len, reverse=True)
    names = [n for n in names if len(n) >= 2]
    tails = sorted(corpus.title_tails, key=len, reverse=True)  # only after a boundary ('依…管理条例第N条')
    return re.compile("《?(" + "|".join(map(re.escape, names)) + ")》?|" + TAIL_BOUNDARY.pattern + "《?(" +
                      "|".join(map(re.escape, tails)) + ")》?")




def find_references(text: str, corpus: Corpus, bare_numbers: bool = False) -> list[Ref]:
    """Every '<document name> 第N条…' in text. `bare_numbers` also accepts '道交法94'."""
    pat = getattr(corpus, "_name_pattern", None)  # kept on the corpus itself: an id() key outlives its corpus
    if pat is None:
        pat = _name_pattern(corpus)
        object.__setattr__(corpus, "_name_pattern", pat)
    out: list[Ref] = []
    for m in pat.finditer(text):
        name = m.group(1) or m.group(2)
        tail = TAIL.match(text, m.end())
        if tail and tail.group(0).strip():
            article, suffix, para, item, bare_item = tail.groups()
            item = item or bare_item
            end = tail.end()
        elif bare_numbers and (b := BARE_TAIL.match(text, m.end())):
            article, suffix, para, item = b.group(1), None, None, None
            end = b.end()
        else:
            continue
        try:
            out.append(_ref(text, m.start(), end, name, corpus.alias_index.get(name) or corpus.title_tails.get(name), (article, suffix, para, item)))
        except ValueError:
            continue
    return out + _following(text, out)


def _ref(text: str, start: int, end: int, name: str, doc_key: str | None,
         numbers: tuple[str | None, str | None, str | None, str | None]) -> Ref:
    """A Ref from the number strings (article, 之-suffix, 款, 项) a tail matched; ValueError on a bad number."""
    article, suffix, para, item = numbers
    return Ref(raw=text[start:end], start=start, end=end, name=name, doc_key=doc_key, article=cn_to_int(article),
               suffix=_num(suffix) or 0, para=_num(para), item=_num(item))


# '违反第十三条，按照第二十六条处罚': a further article of the same text in the same sentence, joined by a list mark
# or a citing verb, with no other text named between
FOLLOWING = re.compile(rf"\s*(?:[、,，和及与或]|以及)\s*(?:并\s*)?(?:依据|依照|根据|按照|适用|按)?\s*(?=第\s*{NUMBER}\s*条)")


def _following(text: str, refs: list[Ref]) -> list[Ref]:
    out: list[Ref] = []
    starts = {r.start for r in refs}
    for ref in refs:
        end = ref.end
        while (j := FOLLOWING.match(text, end)) and (tail := TAIL.match(text, j.end())) and j.end() not in starts:
            article, suffix, para, item, bare_item = tail.groups()
            try:
                out.append(_ref(text, j.end(), tail.end(), ref.name, ref.doc_key, (article, suffix, para, item or bare_item)))
            except ValueError:
                break
            end = tail.end()
    return out


UNKNOWN_LAW = re.compile(rf"《([^》]{{2,40}})》\s*第\s*({NUMBER})\s*条")


def unknown_law_refs(text: str, corpus: Corpus) -> list[tuple[str, str]]:
    """《X》第N条 where X is not a document in the corpus → [(X, raw)]."""
    out = []
    for m in UNKNOWN_LAW.finditer(text):
        if corpus.find_document(m.group(1)) is None:
            out.append((m.group(1), m.group(0)))
    return out


def named_documents(text: str, corpus: Corpus) -> set[str]:
    """Keys of the documents a text names by title or alias, longest name first ('道路交通安全法实施条例' does not
    also name '道路交通安全法'). Two-character aliases ('消法', '刑法') count only as words of their own, not as
    the tail of '民法典' or '违法'; the action plan's '方案' is too common a word to count."""
    out: set[str] = set()
    for name in sorted(corpus.alias_index, key=len, reverse=True):
        if name not in text or name.endswith("方案"):
            continue
        if len(name) < 3 and not re.search(rf"(^|[^\u4e00-\u9fff]|[按依据照的和及与、]){re.escape(name)}", text):
            continue
        out.add(corpus.alias_index[name])
        text = text.replace(name, "")
    for tail in sorted(corpus.title_tails, key=len, reverse=True):  # '依…质量管理条例' names 建设工程质量管理条例
        if tail in text and re.search(TAIL_BOUNDARY.pattern + re.escape(tail), text):
            out.add(corpus.title_tails[tail])
            text = text.replace(tail, "")
    return out
