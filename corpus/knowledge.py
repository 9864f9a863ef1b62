"""Legal knowledge kept as data (corpus/data/*.yaml): actors, sectors, thesaurus, curated enforcement notes,
public FAQ topics, scope words.

Each file is validated on load: an unknown key, a missing field or a wrong type raises KnowledgeError naming the
file and the entry, so a typo in data never silently changes an answer.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import yaml

from corpus import yamlio

DATA = Path(__file__).resolve().parent / "data"


class KnowledgeError(ValueError):
    """A knowledge file does not have the expected shape."""


@dataclass(frozen=True)
class Actor:
    name: str
    family: str
    text: tuple[str, ...]
    question: tuple[str, ...]
    sector: str = ""
    conduct: tuple[str, ...] = ()  # words naming it inside a sanctioned conduct, not as its subject (指使其委托的)
    any_sector: bool = False  # acts in every sector (a product's producer or seller), whatever its own sector
    weak: tuple[str, ...] = ()  # generic words ('厂里') that name it only in a question of its own sector
    # sectors whose goods it deals in under its own sector's text (a shop selling farm produce: 食品安全法第二条)
    takes_over: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sector:
    name: str
    question: tuple[str, ...]
    text: tuple[str, ...]
    documents: tuple[str, ...]
    index: str = ""  # the index sector its documents are filed under, when not its own name
    # words that make this the question's sector even when an earlier sector's words appear ('锅炉废气': the
    # emission, not the boiler)
    overrides: tuple[str, ...] = ()
    unit: str = ""  # the actor a generic unit ('厂里', '公司') asked about is, in this sector's questions
    overseer: str = ""  # the article naming the department that oversees the sector


@dataclass(frozen=True)
class Term:
    """A thesaurus entry: everyday words → the statutory wording they stand for."""

    words: tuple[str, ...]
    means: str
    conduct: str = ""  # a conduct label (虚假报告, 不实报告…) the words name, if any
    key: str = ""  # with a conduct: a regex a sanctioning text must match to be about that conduct
    sectors: tuple[str, ...] = ()  # only in these sectors' context (年检: 定期检验 for equipment, not for cars)
    grave: bool = False  # a grave conduct (fraud) named among the facts outweighs a procedural one named first
    actor: str = ""  # who these words imply did it when the question names no one ('车检过期没去检': the car owner)
    # who did it when the words tell an outside body to act (the one who told it, not the body that did as told)
    teller: str = ""


@dataclass(frozen=True)
class FaqEntry:
    """One public FAQ topic: `words` pick it for a question, `lead` opens the answer, `provisions` (ids in the
    corpus) ground it; the answer's intent is "faq:<key>"."""

    key: str
    title: str
    words: tuple[str, ...]
    lead: str
    provisions: tuple[str, ...]
    examples: tuple[str, ...] = ()
    channel: str = ""  # a channel every answer on this topic names first (12315)
    conditional: tuple[str, ...] = ()  # '<provision id>: <regex>': cite that provision only when the question matches
    asks: str = ""  # a regex: a question asking this way is about this topic, whatever other words it shares

    def on_point(self, text: str) -> list[str]:
        """The topic's provisions that bear on a question (conditional ones only when their subject is asked)."""
        rules = dict(rule.split(":", 1) for rule in self.conditional)
        kept = [p for p in self.provisions if p not in rules or re.search(rules[p].strip(), text)]
        return kept or list(self.provisions[:1])


@dataclass(frozen=True)
class TokenizerWords:
    """The BM25 tokenizer's user dictionary and stop words (corpus/data/tokenizer.yaml)."""

    dictionary: tuple[str, ...]
    stop: tuple[str, ...]


@dataclass(frozen=True)
class Knowledge:
    """Curated notes attached to catalogue entries (see corpus/data/knowledge.yaml)."""

    key: str
    title: str
    penalty: tuple[str, ...]
    violated: tuple[str, ...] = ()
    conduct_items: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    general: tuple[str, ...] = ()
    criminal: tuple[str, ...] = ()
    authority_basis: str = ""
    note: str = ""
    valid_from: str = ""
    predecessor: str = ""
    conduct: str = ""  # only for entries whose conduct label is this (监督管理办法27: 虚假 vs 不实)
    sectors: tuple[str, ...] = ()  # only for questions in these sectors
    supersedes: tuple[str, ...] = ()  # lower-rank texts on the same conduct that yield to this one (上位法优先)

    def ids(self) -> tuple[str, ...]:
        return (*self.penalty, *self.violated, *self.conduct_items, *self.related, *self.general, *self.criminal,
                *self.supersedes, *([self.authority_basis] if self.authority_basis else ()))


@dataclass(frozen=True)
class LostHeading:
    """An article whose heading the source lost; its text ran into the article before (source_fixes.yaml)."""

    law: str
    article: str
    after: str
    starts: str
    note: str


@functools.cache
def lost_headings() -> tuple[LostHeading, ...]:
    data = _only("source_fixes.yaml", load_file("source_fixes.yaml"), "lost_headings")
    out = tuple(_build(LostHeading, f"source_fixes.yaml:{n}", raw) for n, raw in enumerate(data["lost_headings"]))
    for h in out:
        if not (h.article.isdigit() and h.after.isdigit() and h.starts and h.note):
            raise KnowledgeError(f"source_fixes.yaml:{h.law}/{h.article}: article/after 应为条号数字，starts、note 不能为空")
    return out


def load_file(name: str) -> dict:
    """A knowledge file (corpus/data/<name>) as a mapping; KnowledgeError when unreadable or not a mapping."""
    path = DATA / name
    try:
        data = yamlio.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: 顶层应为映射")
    return data


def _build(cls: type, where: str, raw: dict, **extra: object) -> object:
    """Instantiate a frozen dataclass from a mapping, refusing unknown keys and coercing lists to tuples."""
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: 应为映射，得到 {type(raw).__name__}")
    known = {f.name: f for f in fields(cls)}
    unknown = set(raw) - set(known)
    if unknown:
        raise KnowledgeError(f"{where}: 未知字段 {sorted(unknown)}")
    values = {}
    for key, value in {**raw, **extra}.items():
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise KnowledgeError(f"{where}.{key}: 列表只能包含字符串")
            value = tuple(value)
        elif isinstance(value, bool) and known.get(key) is not None and known[key].type in ("bool", bool):
            pass  # a yes/no field (actors.yaml any_sector)
        elif value is not None and not isinstance(value, str):
            raise KnowledgeError(f"{where}.{key}: 应为字符串或字符串列表")
        values[key] = value
    try:
        return cls(**values)
    except TypeError as exc:
        raise KnowledgeError(f"{where}: {exc}") from exc


def _only(name: str, data: dict, key: str) -> dict:
    """The one top-level mapping or list `key` of a knowledge file; KnowledgeError on any other top-level key."""
    if set(data) != {key}:
        raise KnowledgeError(f"{name}: 顶层应只有 {key}，得到 {sorted(data)}（未知顶层字段 {sorted(set(data) - {key})}）")
    return data


@functools.cache
def actors() -> tuple[Actor, ...]:
    data = _only("actors.yaml", load_file("actors.yaml"), "actors")
    return tuple(_build(Actor, f"actors.yaml:{name}", raw, name=name) for name, raw in data["actors"].items())


@functools.cache
def sectors() -> tuple[Sector, ...]:
    data = _only("sectors.yaml", load_file("sectors.yaml"), "sectors")
    out = tuple(_build(Sector, f"sectors.yaml:{name}", raw, name=name) for name, raw in data["sectors"].items())
    names = {a.name for a in actors()}
    for s in out:
        if s.unit and s.unit not in names:
            raise KnowledgeError(f"sectors.yaml:{s.name}: unit {s.unit!r} 不在 actors.yaml 中")
    return out


def sector_documents(name: str | None) -> tuple[str, ...]:
    """The documents of one sector (sectors.yaml `documents`), in their listed order; () for no or an unknown sector."""
    return tuple(d for s in sectors() if s.name == name for d in s.documents)


@functools.cache
def faq_topics() -> tuple[FaqEntry, ...]:
    data = load_file("faq.yaml")
    if set(data) != {"topics"}:
        raise KnowledgeError(f"faq.yaml: 顶层应只有 topics，得到 {sorted(data)}")
    return tuple(_build(FaqEntry, f"faq.yaml:{key}", raw, key=key) for key, raw in data["topics"].items())


@functools.cache
def tokenizer_words() -> TokenizerWords:
    return _build(TokenizerWords, "tokenizer.yaml", load_file("tokenizer.yaml"))


@functools.cache
def thesaurus() -> tuple[Term, ...]:
    data = _only("thesaurus.yaml", load_file("thesaurus.yaml"), "terms")
    terms = tuple(_build(Term, f"thesaurus.yaml:{n}", raw) for n, raw in enumerate(data["terms"]))
    names = {a.name for a in actors()}
    for n, t in enumerate(terms):
        for field_name, actor in (("actor", t.actor), ("teller", t.teller)):
            if actor and actor not in names:
                raise KnowledgeError(f"thesaurus.yaml:{n}: {field_name} {actor!r} 不在 actors.yaml 中")
    return terms


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[Knowledge, ...]
    shared_notes: dict = field(default_factory=dict)
    # document → its article fining a unit's responsible persons for any fine on the unit (建设工程质量管理条例73)
    personal_liability: dict[str, str] = field(default_factory=dict)
    # a lower-rank text's 款/项 → the higher-rank text's 款/项 sanctioning the same conduct (上位法优先)
    superior: dict[str, str] = field(default_factory=dict)

    def by_key(self, key: str) -> Knowledge | None:
        return next((k for k in self.entries if k.key == key), None)


@functools.cache
def knowledge() -> KnowledgeBase:
    data = load_file("knowledge.yaml")
    unknown = set(data) - {"shared_notes", "knowledge", "personal_liability", "superior"}
    if unknown:
        raise KnowledgeError(f"knowledge.yaml: 未知顶层字段 {sorted(unknown)}")
    shared = data.get("shared_notes") or {}
    entries = []
    for n, raw in enumerate(data["knowledge"]):
        k = _build(Knowledge, f"knowledge.yaml:{raw.get('key', n)}", raw)
        for name, text in shared.items():
            k = k if "{{" + name + "}}" not in k.note else _replace_note(k, k.note.replace("{{" + name + "}}", text))
        if "{{" in k.note:
            raise KnowledgeError(f"knowledge.yaml:{k.key}: 未定义的共享说明 {k.note[k.note.index('{{'):][:20]}")
        entries.append(k)
    keys = [k.key for k in entries]
    if len(keys) != len(set(keys)):
        raise KnowledgeError("knowledge.yaml: key 重复")
    personal = data.get("personal_liability") or {}
    if not all(isinstance(k, str) and isinstance(v, str) and v.startswith(f"{k}/") for k, v in personal.items()):
        raise KnowledgeError("knowledge.yaml: personal_liability 应为 文件名: 该文件的条文编号")
    superior = data.get("superior") or {}
    if not all(isinstance(k, str) and isinstance(v, str) and k.split("/")[0] != v.split("/")[0]
               for k, v in superior.items()):
        raise KnowledgeError("knowledge.yaml: superior 应为 下位文本的款项编号: 另一上位文本的款项编号")
    return KnowledgeBase(tuple(entries), shared, dict(personal), dict(superior))


def _replace_note(k: Knowledge, note: str) -> Knowledge:
    return replace(k, note=note)


@dataclass(frozen=True)
class PublicScope:
    """The public mode's scope (corpus/data/public_scope.yaml): patterns one of which a question must match,
    denied categories in order (category → patterns), and the hint naming what may be asked."""

    allow: tuple[str, ...]
    deny: tuple[tuple[str, tuple[str, ...]], ...]
    hint: str


@dataclass(frozen=True)
class _Patterns:
    patterns: tuple[str, ...]


@functools.cache
def public_scope() -> PublicScope:
    data = load_file("public_scope.yaml")
    if set(data) != {"allow", "deny", "hint"}:
        raise KnowledgeError(f"public_scope.yaml: 应有且只有 allow、deny、hint，得到 {sorted(data)}")
    if not isinstance(data["deny"], dict):
        raise KnowledgeError("public_scope.yaml:deny: 应为映射（类别 → 模式列表）")
    deny = tuple((category, _build(_Patterns, f"public_scope.yaml:deny.{category}", {"patterns": patterns}).patterns)
                 for category, patterns in data["deny"].items())
    allow = _build(_Patterns, "public_scope.yaml:allow", {"patterns": data["allow"]}).patterns
    if not isinstance(data["hint"], str):
        raise KnowledgeError("public_scope.yaml:hint: 应为字符串")
    return PublicScope(allow, deny, data["hint"])


@dataclass(frozen=True)
class Scope:
    off_topic: tuple[str, ...]
    future: tuple[str, ...]
    general_rules: tuple[str, ...]
    foreign: tuple[str, ...] = ()
    statistics: tuple[str, ...] = ()
    prices: tuple[str, ...] = ()
    local: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    rule_articles: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (article id, the words of its general rule)
    rule_special: tuple[tuple[str, str, str], ...] = ()  # (article id, a sector code's own rule on it, when)
    authority_duties: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (article id, the situation it governs)

    @property
    def principles(self) -> tuple[str, ...]:
        """Every general rule's words: those with an article of their own and the rest."""
        return self.general_rules + tuple(w for _, words in self.rule_articles for w in words)


@dataclass(frozen=True)
class Crime:
    """A crime a supervised conduct can reach (corpus/data/crimes.yaml)."""

    article: str
    name: str
    words: tuple[str, ...]
    actors: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    secondary: bool = False  # punishes a unit for another crime (刑法231): not the answer to 'which crime'


@functools.cache
def crimes() -> tuple[Crime, ...]:
    """The crime table; KnowledgeError on an unknown key or actor, a word that does not compile, an unknown `before`."""
    data = _only("crimes.yaml", load_file("crimes.yaml"), "crimes")
    out = tuple(_build(Crime, f"crimes.yaml:{a}", raw, article=a) for a, raw in (data["crimes"] or {}).items())
    names, known = {a.name for a in actors()}, {c.article for c in out}
    for c in out:
        if not c.words or set(c.actors) - names or set(c.before) - known:
            raise KnowledgeError(f"crimes.yaml:{c.article}: 缺少 words，或 actors/before 含未知项 "
                                 f"{sorted((set(c.actors) - names) | (set(c.before) - known))}")
        for w in c.words:
            try:
                re.compile(w)
            except re.error as exc:
                raise KnowledgeError(f"crimes.yaml:{c.article}: 无法编译 {w!r}: {exc}") from exc
    return out


@functools.cache
def scope() -> Scope:
    """What is not answered, and the general rules of penalty (`rule_articles`: article id → its rule's words;
    `rule_special`: article id → a sector code's own rule on the same matter)."""
    raw = dict(load_file("scope.yaml"))
    rules = _article_lists(raw.pop("rule_articles", None) or {}, "rule_articles")
    special = _special_rules(raw.pop("rule_special", None) or {})
    duties = _article_lists(raw.pop("authority_duties", None) or {}, "authority_duties")
    return replace(_build(Scope, "scope.yaml", raw), rule_articles=rules, rule_special=special,
                   authority_duties=duties)


ARTICLE_ID = re.compile(r"[^/]+/\d+")  # 'law/article', as scope.yaml names an article


def _special_rules(data: object) -> tuple[tuple[str, str, str], ...]:
    """rule_special: 'law/article' → {special: 'law/article', when: regex (optional)}."""
    ok = isinstance(data, dict) and all(
        ARTICLE_ID.fullmatch(k) and isinstance(v, dict) and set(v) <= {"special", "when"}
        and isinstance(v.get("special"), str) and ARTICLE_ID.fullmatch(v["special"])
        and isinstance(v.get("when", ""), str) for k, v in data.items())
    if not ok:
        raise KnowledgeError("scope.yaml:rule_special: 应为 条文编号 → {special: 条文编号, when: 正则（可选）} 的映射")
    return tuple((k, v["special"], v.get("when", "")) for k, v in data.items())


def _article_lists(data: object, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A mapping 'law/article' → non-empty list of strings, as pairs; KnowledgeError otherwise."""
    if not isinstance(data, dict) or not all(
            ARTICLE_ID.fullmatch(k) and isinstance(v, list) and v and all(isinstance(w, str) for w in v)
            for k, v in data.items()):
        raise KnowledgeError(f"scope.yaml:{key}: 应为 条文编号（法名/条号）→ 字符串列表 的映射")
    return tuple((k, tuple(v)) for k, v in data.items())


def index_sector(name: str | None) -> str | None:
    """The sector the index and the case extracts file a question's sector under ('食品' → '食品产品')."""
    sector = next((s for s in sectors() if s.name == name), None)
    return (sector.index or sector.name) if sector else name


def sector_of_document(doc_key: str) -> str | None:
    return next((s.name for s in sectors() if doc_key in s.documents), None)


@dataclass(frozen=True)
class OptionKind:
    """A semantic kind of quiz option (违法行为, 处罚, 资质条件): the text ends with, starts with or contains…"""

    kind: str
    ends: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()
    words: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        return text.endswith(self.ends) or text.startswith(self.starts) or any(w in text for w in self.words)


@dataclass(frozen=True)
class QuizVocabulary:
    """corpus/data/quiz.yaml: subject endings by kind, option kinds, authority families, standard authorities."""

    subjects: dict[str, tuple[str, ...]]
    generic_subjects: tuple[str, ...]
    option_kinds: tuple[OptionKind, ...]
    authority_families: dict[str, tuple[str, ...]]
    standard_authorities: tuple[str, ...]


def _word_lists(where: str, raw: object) -> dict[str, tuple[str, ...]]:
    """A mapping name → list of strings, refused otherwise."""
    if not isinstance(raw, dict) or not raw:
        raise KnowledgeError(f"{where}: 应为非空映射")
    out = {}
    for name, words in raw.items():
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            raise KnowledgeError(f"{where}.{name}: 应为非空字符串列表")
        out[str(name)] = tuple(words)
    return out


@functools.cache
def quiz_vocabulary() -> QuizVocabulary:
    data = load_file("quiz.yaml")
    fields_ = {"subjects", "generic_subjects", "option_kinds", "authority_families", "standard_authorities"}
    if set(data) != fields_:
        raise KnowledgeError(f"quiz.yaml: 未知字段 {sorted(set(data) - fields_)}，缺少字段 {sorted(fields_ - set(data))}")
    if not isinstance(data["option_kinds"], list):
        raise KnowledgeError("quiz.yaml.option_kinds: 应为列表")
    kinds = tuple(_build(OptionKind, f"quiz.yaml:option_kinds[{n}]", raw) for n, raw in enumerate(data["option_kinds"]))
    lists = _word_lists("quiz.yaml", {k: data[k] for k in ("standard_authorities", "generic_subjects")})
    return QuizVocabulary(_word_lists("quiz.yaml.subjects", data["subjects"]), lists["generic_subjects"], kinds,
                          _word_lists("quiz.yaml.authority_families", data["authority_families"]),
                          lists["standard_authorities"])


INTENTS = ("cases", "plan", "penalty", "authority", "fact", "legal_basis")  # in the order they are tried
TARGETS = ("监管部门工作人员", "直接责任人员", "个人", "机构")  # in the order they are tried


@dataclass(frozen=True)
class AskWords:
    """corpus/data/asks.yaml: the words (regular-expression alternatives) by which a question asks something;
    the patterns that put them in slots are code (assistant/understand.py, assistant/engine.py)."""

    intents: dict[str, tuple[str, ...]]  # INTENTS → words
    targets: dict[str, tuple[str, ...]]  # TARGETS → literal words
    follow_up: tuple[str, ...]
    aggravated: tuple[str, ...]
    asker: tuple[str, ...]
    asker_authority: tuple[str, ...]
    inspection: tuple[str, ...]
    finding: tuple[str, ...]
    caught: tuple[str, ...]
    enforcer: tuple[str, ...]
    enforce: tuple[str, ...]
    stats_total: tuple[str, ...]
    stats_act: tuple[str, ...]
    stats_done: tuple[str, ...]
    crime_ask: tuple[str, ...]
    basis_ask: tuple[str, ...]
    plan_named: tuple[str, ...]
    notice_words: tuple[str, ...]
    plan_words: tuple[str, ...]
    compare: tuple[str, ...]
    legal_words: tuple[str, ...]
    counterpart: tuple[str, ...]
    definition_of: tuple[str, ...]
    definition: tuple[str, ...]
    permission: tuple[str, ...]
    effective_ask: tuple[str, ...]
    mitigation: tuple[str, ...]
    objection: tuple[str, ...]
    asks_result: tuple[str, ...]
    points_at_one: tuple[str, ...]
    party_suffix: tuple[str, ...]
    generic_party: tuple[str, ...]
    text_request: tuple[str, ...]

    def words(self, name: str) -> str:
        """One list as a regular-expression alternation ('a|b|c'), in the order written."""
        return "|".join(getattr(self, name))


def _compiled(where: str, lists: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The lists, once every word is known to compile."""
    for name, words in lists.items():
        for word in words:
            try:
                re.compile(word)
            except re.error as exc:
                raise KnowledgeError(f"{where}.{name}: {word!r} 不是有效的正则表达式（{exc}）") from exc
    return lists


@functools.cache
def ask_words() -> AskWords:
    data = load_file("asks.yaml")
    nested = {"intents": INTENTS, "targets": TARGETS}
    known = {f.name for f in fields(AskWords)}
    if set(data) != known:
        raise KnowledgeError(f"asks.yaml: 未知字段 {sorted(set(data) - known)}，缺少字段 {sorted(known - set(data))}")
    values: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, names in nested.items():
        lists = _compiled(f"asks.yaml.{key}", _word_lists(f"asks.yaml.{key}", data[key]))
        if tuple(lists) != names:
            raise KnowledgeError(f"asks.yaml.{key}: 应依次为 {list(names)}，得到 {list(lists)}")
        values[key] = lists
    flat = _word_lists("asks.yaml", {k: v for k, v in data.items() if k not in nested})
    return AskWords(**values, **_compiled("asks.yaml", flat))
