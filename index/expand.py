"""Query expansion: everyday words → statutory wording (corpus/data/thesaurus.yaml), shared by index and assistant."""

from __future__ import annotations

import functools
import re

from corpus.knowledge import thesaurus


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern, str, tuple[str, ...]], ...]:
    """Plain thesaurus terms (conduct-labelled ones expand only for the conduct a question is understood to name)."""
    return tuple((re.compile("|".join(t.words)), t.means, t.sectors) for t in thesaurus() if t.means and not t.conduct)


@functools.cache
def _conduct_means() -> dict[str, str]:
    return {t.conduct: t.means for t in thesaurus() if t.conduct and t.means}


@functools.cache
def _sector_patterns(field: str = "question") -> dict[str, re.Pattern]:
    """Per sector, its words of one field of sectors.yaml (`question`, or `overrides`) as one pattern."""
    from corpus.knowledge import sectors

    return {s.name: re.compile("|".join(map(re.escape, getattr(s, field)))) for s in sectors() if getattr(s, field)}


def primary_sector(text: str) -> str | None:
    """The sector a text is about: 机动车排放 when it names vehicle emissions, else the first sector (in
    corpus/data/sectors.yaml order) whose question words it uses ('电梯年检' is about special equipment), unless a
    sector's `overrides` words appear ('锅炉废气超标' is about the environment)."""
    patterns = _sector_patterns()
    if "机动车排放" in patterns and patterns["机动车排放"].search(text):
        return "机动车排放"
    if over := next((name for name, pattern in _sector_patterns("overrides").items() if pattern.search(text)), None):
        return over
    return next((name for name, pattern in patterns.items() if pattern.search(text)), None)


def in_context(text: str, term_sectors: tuple[str, ...]) -> bool:
    """A sector-scoped term applies when the text is about one of its sectors, or names no sector at all."""
    if not term_sectors:
        return True
    sector = primary_sector(text)
    return sector is None or sector in term_sectors


# everyday negation → the statutes' own ('没经过检验' → 未经检验, '超期没检验' → 超期未检验): question grammar, not
# vocabulary of any field, so it lives here beside the thesaurus that is matched against both forms
# …only where a verb follows ('没有技术负责人签字' says there is none: no rewrite)
NEGATED_VERB = (r"检|测|验|登记|备案|取得|申|公开|建|配|设|安装|联网|校|鉴定|评|培训|送|记录|保存|报|制定|编制|执行|落实|履行|采|"
                r"装|上|交|买|投|年|定期|及时|依法|按时|办|做|去|进行|经过|通过|按")
NEGATION = re.compile(rf"(?:一直|还|从来|始终|都)?没有?(经过|通过|按照|按|去|做|进行|办理|办)?(?=(?:{NEGATED_VERB}))(?!被)")
NEGATION_LEAD = {"经过": "未经", "通过": "未通过", "按照": "未按照", "按": "未按"}
LAW_IN_TIME = re.compile(r"(施行|生效|实施|公布|出台|发布|修订|修改|颁布|废止)")
PHRASE_END = r"[，。？；、,.!?！\s就也都还了的吗呢啊]"  # a rewritten phrase (未检验, 未经许可) ends at a function word


def statutory_negation(text: str) -> tuple[str, list[str]]:
    """The text with everyday negations in statutory form, and the rewritten phrases (negation + up to 6 chars)."""
    phrases: list[str] = []

    def rewrite(m: re.Match) -> str:
        lead = NEGATION_LEAD.get(m.group(1) or "", "未")
        phrases.append(lead + re.split(PHRASE_END, text[m.end():m.end() + 6])[0])
        return lead

    # '法典还没施行' negates a text's coming into force, not a conduct: no phrase for the query
    return NEGATION.sub(rewrite, text), [p for p in phrases if len(p) > 2 and not LAW_IN_TIME.match(p, 1)]


def expand(text: str, conduct: str | None = None) -> str:
    """The text plus the statutory words its everyday words stand for, and those of the conduct it names
    (idempotent: expanding an expanded text adds nothing)."""
    plain, phrases = statutory_negation(text)
    extra = [rep for pat, rep, scope in _patterns() if (pat.search(text) or pat.search(plain)) and in_context(text, scope)]
    extra += phrases
    if conduct and (means := _conduct_means().get(conduct)):
        extra.append(means)
    added: list[str] = []
    for rep in dict.fromkeys(extra):
        if rep not in text and not any(rep in a for a in added):
            added.append(rep)
    return f"{text} {' '.join(added)}".strip() if added else text
