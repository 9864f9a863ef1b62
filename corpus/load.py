"""Load every configured source into one Corpus: documents, provisions, penalties, cases, errors."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from corpus import config
from corpus.cases import load_cases
from corpus.catalog import ALIASES, DEFAULT_LAWS, MISSION_DOCUMENTS, TAIL_KIND, TAIL_MIN, short_name
from corpus.files import SUFFIXES, IngestError, load_file
from corpus.laws import load_laws
from corpus.models import CaseRecord, Document, PenaltyRecord, Provision
from corpus.numerals import cn_to_int
from corpus.penalties import parse_provisions
from corpus.plan import load_plan


@dataclass
class Corpus:
    documents: dict[str, Document] = field(default_factory=dict)
    provisions: dict[str, Provision] = field(default_factory=dict)
    penalties: list[PenaltyRecord] = field(default_factory=list)
    cases: list[CaseRecord] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    missing_laws: list[str] = field(default_factory=list)

    def add(self, doc: Document, provisions: list[Provision]) -> None:
        if doc.key in self.documents:
            old = self.documents[doc.key]
            self.errors.append(IngestError(doc.path, f"与已收录的《{old.title}》（{old.path}）重名，已跳过"))
            return
        self.documents[doc.key] = doc
        for p in provisions:
            self.provisions[p.id] = p
        self.penalties.extend(parse_provisions(provisions))

    # -- lookup -------------------------------------------------------------------------------------
    @functools.cached_property
    def alias_index(self) -> dict[str, str]:
        """Every name a document is known by → its key (longest names win when matching text)."""
        out: dict[str, str] = {}
        for key, doc in self.documents.items():
            for name in {key, doc.title, short_name(doc.title), *doc.aliases, *ALIASES.get(key, [])}:
                out.setdefault(name, key)
        return out

    @functools.cached_property
    def title_tails(self) -> dict[str, str]:
        """A regulation's or rule's title cut short from the front ('质量管理条例' for 建设工程质量管理条例), when it is
        the tail of one document's title only; such a name counts only after a boundary (TAIL_BOUNDARY), so that
        '医疗器械监督管理条例' never names another text that ends in '监督管理条例'."""
        count: dict[str, set[str]] = {}
        for key, doc in self.documents.items():
            for name in {key, short_name(doc.title)}:
                for i in range(1, len(name) - TAIL_MIN + 1):
                    if TAIL_KIND.search(name[i:]):
                        count.setdefault(name[i:], set()).add(key)
        return {t: next(iter(keys)) for t, keys in count.items() if len(keys) == 1 and t not in self.alias_index}

    def find_document(self, name: str) -> Document | None:
        name = name.strip().strip("《》")
        key = self.alias_index.get(name) or self.alias_index.get(short_name(name)) or self.title_tails.get(name)
        return self.documents.get(key) if key else None

    def article(self, doc_key: str, number: int | str, suffix: int = 0) -> Provision | None:
        n = number if isinstance(number, int) else cn_to_int(str(number))
        return self.provisions.get(f"{doc_key}/{n}-{suffix}" if suffix else f"{doc_key}/{n}")

    def children(self, article_id: str) -> list[Provision]:
        prefix = article_id + "/"
        return [p for p in self.provisions.values() if p.id.startswith(prefix)]

    def penalties_for(self, article_id: str) -> list[PenaltyRecord]:
        prefix = article_id + "/"
        return [r for r in self.penalties if r.provision_id == article_id or r.provision_id.startswith(prefix)]

    def neighbours(self, article_id: str, span: int = 1) -> list[Provision]:
        p = self.provisions.get(article_id)
        if not p or p.article is None:
            return []
        out = []
        for n in range(p.article - span, p.article + span + 1):
            q = self.article(p.doc_key, n) if n > 0 else None
            if q and q.id != article_id:
                out.append(q)
        return out

    def case(self, case_id: str) -> CaseRecord | None:
        return next((c for c in self.cases if c.id == case_id), None)

    def mission_status(self) -> dict[str, tuple[bool, int]]:
        """Mission document → (found, provision count)."""
        out = {}
        for label, key in MISSION_DOCUMENTS.items():
            if key.endswith("/"):
                n = sum(1 for p in self.provisions.values() if p.doc_key.startswith(key))
            else:
                n = sum(1 for p in self.provisions.values() if p.doc_key == key and p.kind in ("article", "plan_item"))
            out[label] = (n > 0, n)
        return out

    def fingerprint(self) -> str:
        """A hash of every provision's id and text: changes whenever the corpus does."""
        h = hashlib.sha256()
        for pid in sorted(self.provisions):
            h.update(pid.encode())
            h.update(self.provisions[pid].text.encode())
        return h.hexdigest()


def missing_mission_documents(corpus: Corpus) -> list[str]:
    """Names of the mission documents (corpus.catalog.MISSION_DOCUMENTS) the corpus lacks: a mistyped or
    missing YIJU_CORPUS_DIRS leaves them out, and answers would come from other texts."""
    return [label for label, (found, _) in corpus.mission_status().items() if not found]


def missing_corpus_warning(corpus: Corpus) -> str:
    """One loud line naming the missing mission documents and the directories looked in; "" when none is
    missing."""
    missing = missing_mission_documents(corpus)
    if not missing:
        return ""
    dirs = "、".join(f"{d}{'' if d.is_dir() else '（不存在）'}" for d in config.corpus_dirs())
    return (f"语料缺少任务文件：{'、'.join(missing)}。查找的语料目录：{dirs}。回答和检索结果可能来自其他法规、"
            "并不完整；请检查 YIJU_CORPUS_DIRS（用 `yiju corpus stats` 核对）后运行 `yiju index build`。")


def content_hash(p: Provision, doc: Document) -> str:
    """Per-provision hash used by incremental indexing (text plus the metadata shown with it)."""
    payload = json.dumps([p.id, p.text, p.citation, doc.status, doc.version_date], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def scan_dir(corpus: Corpus, directory: Path) -> None:
    """Files at the top of a corpus dir, `cases/` batches, `action_plan/` texts."""
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.suffix.lower() in SUFFIXES and path.name.upper() != "README.MD":
            try:
                corpus.add(*load_file(path))
            except IngestError as exc:
                corpus.errors.append(exc)
            except OSError as exc:
                corpus.errors.append(IngestError(path, f"无法读取（{exc.strerror or exc}）"))
    for path in sorted((directory / "cases").glob("*.md")):
        try:
            doc, provs, records = load_cases(path)
        except IngestError as exc:
            corpus.errors.append(exc)
            continue
        corpus.add(doc, provs)
        corpus.cases.extend(records)
    for path in sorted((directory / "action_plan").glob("*.txt")):
        try:
            docs, provs = load_plan(path)
        except IngestError as exc:
            corpus.errors.append(exc)
            continue
        for doc in docs:
            corpus.add(doc, [p for p in provs if p.doc_key == doc.key])


def build_corpus(dirs: list[Path] | None = None, laws: list[str] | None = None, laws_db: Path | None = None
                 ) -> Corpus:
    """Read every source; bad files become errors naming the file, the rest is ingested."""
    corpus = Corpus()
    docs, provs, missing = load_laws(laws_db or config.laws_db(), laws or DEFAULT_LAWS)
    corpus.missing_laws = missing
    for doc in docs:
        corpus.add(doc, [p for p in provs if p.doc_key == doc.key])
    for directory in dirs if dirs is not None else config.corpus_dirs():
        if not directory.is_dir():
            corpus.errors.append(IngestError(directory, "语料目录不存在"))
            continue
        scan_dir(corpus, directory)
    from corpus.history import apply_history

    apply_history(corpus)
    return corpus


@functools.lru_cache(maxsize=4)
def _cached(dirs: tuple[str, ...], laws_db: str) -> Corpus:
    return build_corpus([Path(d) for d in dirs], laws_db=Path(laws_db))


def load_corpus() -> Corpus:
    """The configured corpus, parsed once per process and per configuration."""
    return _cached(tuple(str(d) for d in config.corpus_dirs()), str(config.laws_db()))
