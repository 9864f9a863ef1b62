"""Trainer quizzes generated deterministically from provisions: 单选, 多选, 判断, 填空, each with answer,
解析 (quoting the clause) and citation; distractors come from sibling provisions."""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass

from corpus.load import Corpus
from corpus.models import REPEALED, PenaltyRecord, Provision

TYPES = ("单选", "多选", "判断", "填空")
LETTERS = "ABCD"
TARGET_WORD = {"机构": "机构", "直接责任人员": "直接负责的主管人员和其他直接责任人员", "个人": "检验检测人员"}
NUMBER_FACT = re.compile(r"(不少于|不超过|不得超过|以上|以内|之日起|内)?([0-9一二三四五六七八九十百]+)(个工作日|个月|年|日|天|小时|倍)")


@dataclass
class Question:
    qtype: str
    stem: str
    options: list[str]
    answer: str
    explanation: str
    citation: str
    provision_id: str
    difficulty: str = "中"
    topic: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _eligible(corpus: Corpus, doc_keys: list[str] | None, chapters: list[str] | None, topics: list[str] | None
              ) -> list[Provision]:
    out = []
    for p in corpus.provisions.values():
        if p.kind != "article":
            continue
        doc = corpus.documents[p.doc_key]
        if doc.status == REPEALED or doc.doc_type == "典型案例":
            continue
        if doc_keys and p.doc_key not in doc_keys:
            continue
        if chapters and not any(c in p.chapter for c in chapters):
            continue
        if topics and not any(t in p.text or t in p.chapter for t in topics):
            continue
        out.append(p)
    return out


def _shuffle_options(rng: random.Random, correct: list[str], wrong: list[str]) -> tuple[list[str], str]:
    options = correct + wrong
    rng.shuffle(options)
    letters = "".join(sorted(LETTERS[options.index(c)] for c in correct))
    return options, letters


def _fine_questions(corpus: Corpus, arts: list[Provision], rng: random.Random, difficulty: str) -> list[Question]:
    ids = {p.id for p in arts}
    recs = [r for r in corpus.penalties if r.kind == "处罚" and r.has_fine and r.provision_id.rsplit("/", 1)[0] in ids
            and r.tier in ("基本", "情节严重")]
    labels = sorted({r.fine_label() for r in corpus.penalties if r.has_fine})
    out = []
    for r in recs:
        p = corpus.provisions[r.provision_id]
        art = corpus.provisions[p.article_id]
        siblings = sorted({x.fine_label() for x in corpus.penalties if x.has_fine and
                           x.provision_id.split("/")[0] == r.provision_id.split("/")[0]} - {r.fine_label()})
        pool = siblings if difficulty != "易" else [x for x in labels if x != r.fine_label()]
        if len(pool) < 3:
            pool = pool + [x for x in labels if x != r.fine_label() and x not in pool]
        # a distractor that the same provision also states (e.g. another target's range) would be ambiguous
        same_art = {x.fine_label() for x in corpus.penalties_for(art.id) if x.has_fine}
        pool = [x for x in pool if x not in same_art]
        if len(pool) < 3:
            continue
        wrong = rng.sample(pool, 3)
        options, ans = _shuffle_options(rng, [r.fine_label()], wrong)
        conduct = _conduct(r)
        tier = "情节严重的，" if r.tier == "情节严重" else ""
        who = TARGET_WORD.get(r.target, r.target)
        if r.target == "机构" and "机构" not in conduct:
            who = "违法单位"
        stem = f"依据{art.citation}，{conduct}，{tier}对{who}处（  ）。"
        out.append(Question("单选", stem, options, ans, _explain(art, r.source_text), art.citation, art.id, difficulty,
                            "罚款幅度"))
    return out


def _conduct(r: PenaltyRecord) -> str:
    c = re.sub(r"^违反本(法|条例|办法)规定[，,]", "", r.conduct).strip("，,：: ")
    c = re.sub(r"有下列(行为|情形)之一的$", "有本条所列违法行为的", c)
    return c if c.endswith("的") else f"{c}的"


def _explain(art: Provision, quote: str) -> str:
    return f"{art.citation}规定：“{quote.strip()}”"


def _authority_questions(corpus: Corpus, arts: list[Provision], rng: random.Random, difficulty: str) -> list[Question]:
    ids = {p.id for p in arts}
    recs = [r for r in corpus.penalties if r.kind == "处罚" and r.authority and r.tier == "基本"
            and r.provision_id.rsplit("/", 1)[0] in ids and not r.cross_refs and "有规定的" not in r.conduct]
    authorities = sorted({r.authority for r in corpus.penalties if r.authority and len(r.authority) <= 20})
    out, seen = [], set()
    for r in recs:
        if r.provision_id in seen or len(r.authority) > 20:
            continue
        seen.add(r.provision_id)
        art = corpus.provisions[corpus.provisions[r.provision_id].article_id]
        pool = [a for a in authorities if a != r.authority and a not in art.text]
        if len(pool) < 3:
            continue
        options, ans = _shuffle_options(rng, [r.authority], rng.sample(pool, 3))
        stem = f"依据{art.citation}，{_conduct(r)}，由（  ）依法处罚。"
        out.append(Question("单选", stem, options, ans, _explain(art, r.source_text), art.citation, art.id, difficulty,
                            "执法主体"))
    return out


def _item_questions(corpus: Corpus, arts: list[Provision], rng: random.Random, difficulty: str) -> list[Question]:
    out = []
    for art in arts:
        paras = [p for p in corpus.children(art.id) if p.kind == "paragraph"]
        for para in paras:
            items = [p for p in corpus.children(para.id) if p.kind == "item"]
            if len(items) < 3:
                continue
            lead = para.text.split("\n", 1)[0]
            neighbours = [q for q in corpus.neighbours(art.id, span=2) if q.doc_key == art.doc_key]
            foreign = [i for q in neighbours for i in corpus.children(q.id) if i.kind == "item"]
            foreign = [f for f in foreign if _strip_item(f.text) not in art.text]
            if not foreign:
                continue
            k = min(3, len(items))
            right = rng.sample(items, k) if len(items) > k else items[:k]
            wrong = rng.sample(foreign, 4 - k) if len(foreign) >= 4 - k else foreign[: 4 - k]
            if len(right) + len(wrong) != 4:
                continue
            options, ans = _shuffle_options(rng, [_strip_item(i.text) for i in right], [_strip_item(f.text) for f in wrong])
            stem = f"依据{para.citation}，下列选项中属于该款所列情形的有（  ）。"
            _ = lead
            expl = f"{para.citation}所列情形为：" + "".join(i.text for i in items)
            out.append(Question("多选", stem, options, ans, expl, para.citation, para.id, difficulty, "情形列举"))
    return out


def _strip_item(text: str) -> str:
    return re.sub(r"^[（(][一二三四五六七八九十]+[)）]", "", text).rstrip("；;。")


def _fact_sentences(art: Provision) -> list[str]:
    return [s for s in re.split(r"(?<=[。；])", art.text.replace("\n", "")) if NUMBER_FACT.search(s) and 8 < len(s) < 120]


def _blank_questions(corpus: Corpus, arts: list[Provision], rng: random.Random, difficulty: str) -> list[Question]:
    out = []
    for art in arts:
        for sent in _fact_sentences(art):
            m = NUMBER_FACT.search(sent)
            if "罚款" in sent and m.group(3) != "倍":
                continue
            number = m.group(2)
            if sum(1 for x in NUMBER_FACT.finditer(sent) if x.group(2) == number) > 1:
                continue
            stem = f"依据{art.citation}：{sent[:m.start(2)]}____{sent[m.end(2):]}"
            out.append(Question("填空", stem, [], number, _explain(art, sent), art.citation, art.id, difficulty,
                                "期限数额"))
    return out


AMOUNT = re.compile(r"([一二三四五六七八九十百千]+|[0-9]+)(万元|元|年|倍)")


def _judge_questions(corpus: Corpus, arts: list[Provision], rng: random.Random, difficulty: str) -> list[Question]:
    out = []
    swaps = {"五": "三", "十": "五", "二十": "三十", "三": "五", "一": "二", "二": "三", "六": "三"}
    for n, art in enumerate(arts):
        for sent in re.split(r"(?<=[。；])", art.text.replace("\n", "")):
            m = AMOUNT.search(sent)
            if not m or not 20 < len(sent) < 110 or sent.startswith(("逾期", "情节", "拒不")) or "的，" not in sent:
                continue
            if n % 2 == 0:
                out.append(Question("判断", f"{art.citation}规定：{sent}", ["正确", "错误"], "正确",
                                    _explain(art, sent), art.citation, art.id, difficulty, "条文理解"))
            else:
                num = m.group(1)
                new = swaps.get(num) or (str(int(num) * 2) if num.isdigit() else None)
                if not new:
                    continue
                changed = sent[:m.start(1)] + new + sent[m.end(1):]
                if changed.replace(" ", "") in art.text.replace("\n", ""):
                    continue
                out.append(Question("判断", f"{art.citation}规定：{changed}", ["正确", "错误"], "错误",
                                    _explain(art, sent) + f"题干将“{num}{m.group(2)}”改为了“{new}{m.group(2)}”。",
                                    art.citation, art.id, difficulty, "条文理解"))
            break
    return out


GENERATORS = {"单选": (_fine_questions, _authority_questions), "多选": (_item_questions,), "判断": (_judge_questions,),
              "填空": (_blank_questions,)}


def build_quiz(corpus: Corpus, doc_keys: list[str] | None = None, chapters: list[str] | None = None,
               topics: list[str] | None = None, counts: dict[str, int] | None = None, n: int = 20,
               difficulty: str = "中", seed: int = 0) -> list[Question]:
    """A deterministic quiz for the selection; `counts` per type, else `n` spread over the four types."""
    if counts is None:
        base, extra = divmod(n, len(TYPES))
        counts = {t: base + (1 if i < extra else 0) for i, t in enumerate(TYPES)}
    arts = _eligible(corpus, doc_keys, chapters, topics)
    out: list[Question] = []
    stems: set[str] = set()
    for qtype in TYPES:
        want = counts.get(qtype, 0)
        if want <= 0:
            continue
        rng = random.Random(f"{seed}-{qtype}-{difficulty}")
        pool: list[Question] = []
        for gen in GENERATORS[qtype]:
            pool += gen(corpus, arts, rng, difficulty)
        rng.shuffle(pool)
        for q in pool:
            if len([x for x in out if x.qtype == qtype]) >= want:
                break
            if q.stem in stems or not answer_is_grounded(q, corpus):
                continue
            stems.add(q.stem)
            out.append(q)
    return out


def answer_is_grounded(q: Question, corpus: Corpus) -> bool:
    """The cited text determines the answer: its key value is in the text, no distractor is."""
    p = corpus.provisions.get(q.provision_id)
    if p is None:
        return False
    text = p.text.replace("\n", "")
    if q.qtype == "填空":
        return q.answer in text
    if q.qtype == "判断":
        return (q.answer == "正确") == (q.stem.split("规定：", 1)[1] in text)
    right = [q.options[LETTERS.index(c)] for c in q.answer]
    wrong = [o for o in q.options if o not in right]
    if q.qtype == "多选":
        return all(r in text for r in right) and not any(w in text for w in wrong)
    if q.topic == "执法主体":
        return right[0] in text and not any(w in text for w in wrong)
    records = [r.fine_label() for r in corpus.penalties_for(p.article_id)]
    return right[0] in records and not any(w in records for w in wrong)
