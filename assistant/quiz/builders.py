"""Question builders: one candidate fact → a 单选/多选/判断/填空 question with its 解析 and citation."""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from assistant.quiz.candidates import (
    CONDUCT_ELSEWHERE,
    DANGLING,
    FINE_ANY,
    ITEM_LABEL,
    PERIOD_UNIT,
    TIER_WORD,
    Candidate,
    fine_pattern,
    short_citation,
)
from assistant.quiz.distractors import (
    VAGUE_AUTHORITY,
    Pools,
    article_option,
    article_order,
    list_kinds,
    numeric_sort_key,
    option_kind,
    paraphrased,
    rank_articles,
    rank_numeric,
    same_authority,
    similar_subject,
    subject_kind,
    synthetic_fines,
)
from assistant.quiz.model import BLANK, FALSE, FILL, LETTERS, TOPIC_OF, TRUE, Question
from assistant.quiz.normalize import (
    SPACE,
    is_generic,
    normalize,
    similarity,
    spellings,
    split_sentences,
    strip_item,
    trim_clause,
    usable_item,
)
from corpus.models import IN_FORCE, Provision
from corpus.penalties import TARGET_PHRASE, split_conduct, target_of


@dataclass
class Built:
    """A generator's raw material for one fact, before it becomes a question of a given type."""

    prefix: str  # 依据《X》(第N条)，
    body: str  # the clause with {gap} where the value goes
    value: str  # the answer value
    distractors: list[str]  # ranked, best first for the difficulty
    filled: str  # the clause fragment with the value, verbatim in the normalised cited text
    gap_template: str  # fragment with {gap}; filled == gap_template.format(gap=value)
    quote: str
    numeric: bool = False
    blank_value: str = ""  # 填空: the part of the value that is blanked (the upper bound of a range)
    blank_body: str = ""


class Quiz(Pools):
    """Builds questions from candidates: value questions (fines, multiples, authorities, periods), articles, items."""

    want_truth: bool | None = None  # the 判断 answer the paper needs next (balance); None: by the question's rng

    def truth(self, rng: random.Random) -> bool:
        """Whether the next 判断 states the provision truly (正确) or with a changed value (错误)."""
        drawn = rng.random() < 0.5  # drawn in any case so that the rest of the question's choices do not shift
        return drawn if self.want_truth is None else self.want_truth

    # -- builders -------------------------------------------------------------------------------------------------
    def build(self, cand: Candidate, qtype: str) -> Question | None:
        rng = self.rng(cand, qtype)
        if cand.kind == "article":
            return self._article_question(cand, qtype, rng)
        if cand.kind == "items":
            return self._items_question(cand, qtype, rng)
        raw = getattr(self, f"_raw_{cand.kind}")(cand, rng)
        if raw is None:
            return None
        return self._value_question(cand, qtype, raw, rng)

    def _value_question(self, cand: Candidate, qtype: str, raw: Built, rng: random.Random) -> Question | None:
        p = self.cited(cand.prov)
        topic = TOPIC_OF[cand.kind]
        base = dict(citation=p.citation, provision_id=p.id, difficulty=self.difficulty, topic=topic)
        status = self._status_note(p)
        if qtype == "单选":
            wrong = self.pick(rng, raw.distractors, 3)
            if len(wrong) < 3:
                return None
            options = [raw.value, *wrong]
            if raw.numeric:
                options.sort(key=numeric_sort_key)
            else:
                rng.shuffle(options)
            letter = LETTERS[options.index(raw.value)]
            stem = raw.prefix + raw.body.replace("{gap}", BLANK) + "。"
            expl = f"{p.citation}规定：“{raw.quote}”。故正确答案为“{raw.value}”。{status}"
            return Question("单选", stem, options, letter, expl, keys=[raw.value], absent=wrong,
                            meta={"kind": cand.kind, "filled": raw.filled, "gap": raw.gap_template,
                                  "numeric": raw.numeric}, **base)
        if qtype == "判断":
            truth = self.truth(rng)
            wrong = [] if truth else self.pick(rng, raw.distractors, 1)
            if not truth and not wrong:
                return None
            shown = raw.value if truth else wrong[0]
            stem = self.prefix(cand.prov, True) + raw.body.replace("{gap}", shown) + "。"  # always law + article
            if truth:
                expl = f"{p.citation}规定：“{raw.quote}”。表述与条文一致，故正确。{status}"
            else:
                expl = (f"{p.citation}规定：“{raw.quote}”。条文规定为“{raw.value}”，题干写作“{shown}”，"
                        f"故错误。{status}")
            return Question("判断", stem, [], TRUE if truth else FALSE, expl, keys=[raw.value], absent=wrong,
                            meta={"kind": cand.kind, "filled": raw.filled, "gap": raw.gap_template,
                                  "shown": shown}, **base)
        if qtype == "填空":
            blank_value = raw.blank_value or raw.value
            body = raw.blank_body or raw.body.replace("{gap}", FILL)
            stem = raw.prefix + body + "。"
            expl = f"{p.citation}规定：“{raw.quote}”。故应填“{blank_value}”。{status}"
            alternatives = spellings(blank_value)
            return Question("填空", stem, [], blank_value, expl, keys=[raw.value, blank_value], absent=[],
                            meta={"kind": cand.kind, "filled": raw.filled, "alternatives": alternatives,
                                  "fill": body}, **base)
        return None

    def _status_note(self, p: Provision) -> str:
        doc = self.c.documents.get(p.doc_key)
        if doc is None or doc.status.startswith(IN_FORCE):
            return ""
        return f"（注意：《{doc.title}》的效力状态为“{doc.status}”。）"

    # fines and multiples ------------------------------------------------------------------------------------------
    def _penalty_context(self, cand: Candidate, rng: random.Random, locate) -> dict | None:
        """Conduct + the sanction clauses up to the segment `locate` picks, for a penalty paragraph.

        Returns the stem body pieces, the matched segment and the quote; None when the text does not carry
        the record's value where the record says (then no question is asked about it)."""
        p, r = cand.prov, cand.record
        items = self.items_of.get(p.id, [])
        full = self.norm(p)
        lead = full.split("\n", 1)[0] if items else full.replace("\n", "")
        conduct, sanction = split_conduct(lead)
        sentences = split_sentences(sanction)
        hits = []
        for si, sentence in enumerate(sentences):
            segs = re.split(r"[，,：:]", trim_clause(sentence))
            for gi, seg in enumerate(segs):
                m = locate(seg)
                if m:
                    hits.append((si, gi, segs, m))
        if not hits:
            return None
        if len(hits) > 1 and r is not None:
            own = [h for h in hits if _segment_target(h[2][h[1]]) in (r.target, None)]
            hits = own or hits
        si, gi, segs, m = hits[0]
        seg = segs[gi]
        explicit = _segment_target(seg)
        if r is not None and explicit is not None and explicit != r.target:
            return None  # the record and the text disagree on who is fined
        context = _sanction_context(sentences, si, gi, segs)
        conduct_text, item_prov = self._conduct(conduct, items, rng)
        if CONDUCT_ELSEWHERE.search(conduct_text) or len(conduct_text.replace("，", "")) < 8 \
                or TIER_WORD.match(conduct_text):
            return None  # '有前款规定情形的': the conduct is not in the question
        snippet = strip_item(self.norm(item_prov)) if item_prov is not None else conduct_text
        need_article = not conduct_text or not self.unique_in_doc(p, snippet.rstrip("的"))
        parts = ([conduct_text] if conduct_text else []) + context
        quote = self._quote(p, lead, sanction, si, item_prov)
        return {"parts": parts, "seg": seg, "match": m, "need_article": need_article, "quote": quote}

    def _conduct(self, conduct: str, items: list[Provision], rng: random.Random) -> tuple[str, Provision | None]:
        """The conduct as the stem states it: the subject with one listed item (and that item), else the conduct
        clause without its 另有规定 parts; ends in 的."""
        conduct_parts = [s for s in re.split(r"[，,]", conduct.rstrip("，,：:")) if s and not re.search(
            r"有[^，]{0,12}规定的|另有规定|从其规定", s)]
        conduct_text = "，".join(conduct_parts)
        item_prov = None
        if items and re.search(r"下列|以下", conduct_text):
            subject = re.split(r"有下列|存在下列|具有下列|下列|以下", conduct_text, maxsplit=1)[0].rstrip("，,")
            usable = [i for i in items if 4 <= len(strip_item(self.norm(i))) <= 60
                      and not is_generic(strip_item(self.norm(i)))]
            if usable:
                item_prov = rng.choice(usable)
                text = strip_item(self.norm(item_prov))
                conduct_text = subject + text + ("" if text.endswith("的") else "的")
        if conduct_text and not conduct_text.endswith("的"):
            conduct_text += "的" if not re.search(r"规定$", conduct_text) else ""
        return conduct_text, item_prov

    def _quote(self, p: Provision, lead_norm: str, sanction_norm: str, si: int, item: Provision | None) -> str:
        """The clause in its original wording: the lead up to the sentence used (+ the item used)."""
        items = self.items_of.get(p.id, [])
        original = SPACE.sub("", p.text)
        lead = original.split("\n", 1)[0] if items else original.replace("\n", "")
        sentences = split_sentences(lead)
        n_conduct = len(split_sentences(lead_norm)) - len(split_sentences(sanction_norm))
        upto = max(0, n_conduct) + si + 1
        quote = "".join(sentences[:upto]) if len(sentences) >= upto else lead
        if len(quote) > 220:
            quote = "……" + sentences[min(upto, len(sentences)) - 1]
        quote = quote.rstrip("。；;，,")
        if item is not None:
            quote += f"……{SPACE.sub('', item.text).strip()}"
        return quote.rstrip("。；;")

    def _raw_fine(self, cand: Candidate, rng: random.Random) -> Built | None:
        lo_hi = (cand.record.fine_min, cand.record.fine_max)
        pool = [(v, lo, hi) for _, v, lo, hi in self.fine_pool(cand.prov.doc_key)] + synthetic_fines(*lo_hi)
        return self._raw_amount(cand, rng, lo_hi, pool)

    def _raw_multiple(self, cand: Candidate, rng: random.Random) -> Built | None:
        lo_hi = (cand.record.multiple_min, cand.record.multiple_max)
        pool = [(v, lo, hi) for _, v, lo, hi in self.multiple_pool(cand.prov.doc_key)]
        return self._raw_amount(cand, rng, lo_hi, pool)

    def _raw_amount(self, cand: Candidate, rng: random.Random, lo_hi: tuple, pool: list[tuple]) -> Built | None:
        """A fine or multiple ('处（  ）罚款'): the penalty context up to the amount; distractors ranked closest-first
        from the pool, none in the article."""
        value = cand.value
        ctx = self._penalty_context(cand, rng, fine_pattern(value).search)
        if ctx is None:
            return None
        seg, m = ctx["seg"], ctx["match"]
        gap_template = seg[:m.start()] + "{gap}" + seg[m.end():]
        body = "，".join([*ctx["parts"], gap_template])
        ranked = rank_numeric(value, lo_hi, pool, self.norm(self.article_of(cand.prov)))
        blank_value, blank_body = _blank_bound(value, gap_template, ctx["parts"])
        return Built(self.prefix(cand.prov, ctx["need_article"]), body, value, ranked, seg, gap_template,
                     ctx["quote"], numeric=True, blank_value=blank_value, blank_body=blank_body)

    def _raw_authority(self, cand: Candidate, rng: random.Random) -> Built | None:
        auth = cand.value
        needle = f"由{auth}"

        def locate(seg: str):
            i = seg.find(needle)
            return (i + 1, i + 1 + len(auth)) if i >= 0 else None

        ctx = self._penalty_context(cand, rng, locate)
        if ctx is None:
            return None
        seg, (a, b) = ctx["seg"], ctx["match"]
        gap_template = seg[:a] + "{gap}" + seg[b:]
        body = "，".join([*ctx["parts"], gap_template])
        article_text = self.norm(self.article_of(cand.prov))
        pool = [x for x in self.authority_pool(cand.prov.doc_key)
                if x not in article_text and not same_authority(x, auth) and not VAGUE_AUTHORITY.search(x)]
        ranked = sorted(dict.fromkeys(pool), key=lambda x: -similarity(x, auth))
        return Built(self.prefix(cand.prov, ctx["need_article"]), body, auth, ranked, seg, gap_template,
                      ctx["quote"])

    def _raw_duty(self, cand: Candidate, rng: random.Random) -> Built | None:
        """'（  ）应当…': the subject of a duty sentence; distractors are subjects of the same kind (department vs
        regulated party) from other duty sentences, none in the cited article."""
        p, subject = cand.prov, cand.value
        sentence = trim_clause(cand.extra["sentence"])
        kind = subject_kind(subject)
        article_text = self.norm(self.article_of(p))
        pool = [x for x in self.subject_pool(p.doc_key)
                if subject_kind(x) == kind and x not in article_text and not similar_subject(x, subject)
                and not VAGUE_AUTHORITY.search(x) and "等" not in x]
        same_doc = set(self.subject_pool(p.doc_key)[:40])
        ranked = sorted(pool, key=lambda x: (x not in same_doc, -round(similarity(x, subject), 2), x))
        gap_template = "{gap}" + sentence[len(subject):]
        quote = self._original_sentence(p, sentence)
        return Built(self.prefix(p, True), gap_template, subject, ranked, sentence, gap_template, quote)

    def _original_sentence(self, p: Provision, normalised: str) -> str:
        """The sentence in the provision's own wording (Chinese numerals kept), else the normalised one."""
        for s in split_sentences(SPACE.sub("", p.text).replace("\n", "")):
            if normalised in normalize(s):
                return trim_clause(ITEM_LABEL.sub("", s.strip()))
        return normalised

    def _raw_period(self, cand: Candidate, rng: random.Random) -> Built | None:
        p, value = cand.prov, cand.value
        lines = self.norm(p).split("\n")
        originals = SPACE.sub("", p.text).split("\n")
        if len(originals) != len(lines):
            originals = lines
        li, si = cand.extra["line"], cand.extra["sentence"]
        sents = split_sentences(lines[li])
        osents = split_sentences(originals[li])
        if len(osents) != len(sents):
            osents = sents
        label = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")
        core = trim_clause(sents[si])
        if si == 0:
            core = label.sub("", core)
        # the sentences of the same 句 before this one (since the last 。), for context
        start = si
        item_line = bool(label.match(lines[li])) and li > 0
        while start > 0 and (item_line or not sents[start - 1].rstrip().endswith("。")):
            start -= 1  # an item line is read whole: its opening names the case the period is for
        if start == si and si > 0 and len(core) < 18:
            start = si - 1
        before = label.sub("", "".join(sents[start:si]))
        lead_ctx, quote_lead = "", ""
        if label.match(lines[li]) and li > 0 and self.items_of.get(p.id):  # an item of a list: its lead first
            intro, _ = _intro(lines[0])
            if not intro:
                return None
            lead_ctx, quote_lead = intro + "：", trim_clause(originals[0]) + "：……"
        if len(lead_ctx) + len(before) + len(core) > 200 or len(lead_ctx) + len(before) + len(core) < 12:
            return None
        if core.count(value) != 1:
            return None
        quote = quote_lead + "".join(osents[start:si]) + trim_clause(osents[si])
        pos = core.find(value)
        gap_template = core[:pos] + "{gap}" + core[pos + len(value):]
        unit = PERIOD_UNIT.search(value).group(0)
        same_shape = re.compile(re.escape(core[:pos]) + r"\d+(?:\.\d+)?" + re.escape(unit) + re.escape(core[pos + len(value):]))
        if not before and len(same_shape.findall(self.norm(self.article_of(p)))) > 1:
            return None  # the same sentence with another period elsewhere in the article: ambiguous
        number = float(value[: -len(unit)])
        article_text = self.norm(self.article_of(p))
        pool = [v for v in self.period_pool(p.doc_key, unit) if v != value and v not in article_text]
        ranked = sorted(pool, key=lambda v: (abs(math.log(max(float(v[: -len(unit)]), 0.01) / max(number, 0.01))),
                                            float(v[: -len(unit)])))
        pieces = [x for x in (core[:pos][-30:], core[pos + len(value):][:30]) if len(x) >= 8]
        need_article = p.kind == "plan_item" or not any(self.unique_in_doc(p, x) for x in pieces)
        return Built(self.prefix(p, need_article), lead_ctx + before + gap_template, value, ranked, core,
                      gap_template, quote, numeric=True)

    # which article -------------------------------------------------------------------------------------------------
    def _article_snippets(self, p: Provision, qtype: str) -> list[tuple[str, int]]:
        """(snippet, sentence index) a 'which article' question can quote, best first. A 判断 quotes a whole
        sentence (ending in 。, not a list item or a clause of one) so that the statement stands on its own."""
        sentences = split_sentences(self.norm(p))
        snippets = []
        longest = 60 if qtype == "判断" else 45
        for k, sentence in enumerate(sentences):
            s = strip_item(trim_clause(sentence))
            if qtype == "判断":
                whole = sentence.rstrip().endswith("。") and not ITEM_LABEL.match(sentence.strip())
                pieces = [s] if whole and 12 <= len(s) <= longest and not DANGLING.match(s) else []
            else:
                pieces = [s] if len(s) <= longest else [x for x in re.split(r"[，,]", s) if 10 <= len(x) <= 36]
            for x in pieces:
                if p.heading and (p.heading in x or similarity(p.heading, x) > 0.4):
                    continue
                if 10 <= len(x) <= longest and not re.search(r"下列|以下|违反本|本(?:法|条例|办法)自|前款|依照其规定", x) \
                        and not re.match(r"或者|并且|但是|但|以及|并|且|其中|和|对|由|经|自|除", x) \
                        and not re.search(r"第[一二三四五六七八九十百零]+条", x):
                    score = 2 * bool(re.search(r"应当|不得|禁止|负责|有权|罚款|吊销|保存|期限|必须", x))
                    snippets.append((score, -abs(len(x) - 25), x, k))
        snippets.sort(key=lambda t: (-t[0], -t[1], t[2]))
        return [(x, k) for _, _, x, k in snippets[:6]]

    def _article_question(self, cand: Candidate, qtype: str, rng: random.Random) -> Question | None:
        if qtype not in ("单选", "判断"):
            return None
        p = cand.prov
        originals = split_sentences(SPACE.sub("", p.text))
        if len(originals) != len(split_sentences(self.norm(p))):
            originals = split_sentences(self.norm(p))
        siblings = [a for a in self.articles(p.doc_key) if a.id != p.id]
        for snippet, k in self._article_snippets(p, qtype):
            if not self.unique_in_doc(p, snippet):
                continue
            # no distractor article may say the same thing in other words
            pool = [a for a in siblings if snippet not in self.norm(a) and not paraphrased(snippet, self.norm(a))]
            ranked = rank_articles(p, pool)
            labels = {a.id: article_option(a) for a in ranked}
            wrong_ids = self.pick(rng, [a.id for a in ranked], 3 if qtype == "单选" else 1)
            if not wrong_ids or len({labels[i] for i in wrong_ids} | {article_option(p)}) < len(wrong_ids) + 1:
                continue
            whole = trim_clause(SPACE.sub("", p.text).replace("\n", ""))
            quote = whole if len(whole) <= 200 else trim_clause(originals[k])
            make = self._article_judge if qtype == "判断" else self._article_single
            return make(p, snippet, quote, wrong_ids, rng)
        return None

    def _article_judge(self, p: Provision, snippet: str, quote: str, wrong_ids: list[str], rng: random.Random
                       ) -> Question:
        truth = self.truth(rng)
        shown = p if truth else self.c.provisions[wrong_ids[0]]
        where = f"“{article_option(shown)}”部分提出" if p.kind == "plan_item" else f"{article_option(shown)}规定"
        stem = f"《{p.doc_key}》{where}：“{snippet}”。"
        verdict = "故正确。" if truth else f"而非{article_option(shown)}，故错误。"
        expl = f"该表述出自{p.citation}：“{quote}”，{verdict}"
        return Question("判断", stem, [], TRUE if truth else FALSE, expl, p.citation, p.id, self.difficulty,
                        TOPIC_OF["article"], keys=[snippet], absent=[] if truth else [article_option(shown)],
                        meta={"kind": "article", "snippet": snippet, "answer_label": article_option(p),
                              "shown_id": shown.id})

    def _article_single(self, p: Provision, snippet: str, quote: str, wrong_ids: list[str], rng: random.Random
                        ) -> Question:
        label = article_option(p)
        chosen = sorted([p, *(self.c.provisions[i] for i in wrong_ids)], key=article_order)
        options = [article_option(a) for a in chosen]
        what = "哪一项任务" if p.kind == "plan_item" else "哪一条"
        stem = f"《{p.doc_key}》中，规定“{snippet}”的是{what}？{BLANK}"
        expl = f"该表述出自{p.citation}：“{quote}”。故正确答案为“{label}”。"
        return Question("单选", stem, options, LETTERS[options.index(label)], expl, p.citation, p.id,
                        self.difficulty, TOPIC_OF["article"], keys=[snippet], absent=[],
                        meta={"kind": "article", "snippet": snippet, "answer_label": label,
                              "distractor_ids": list(wrong_ids)})

    # items lists -----------------------------------------------------------------------------------------------------
    def _items_material(self, para: Provision, need: int) -> dict | None:
        """What an items question needs: the list's own items, its introduction and listed noun, ranked distractor
        items of the list's semantic kind (a sanction is never offered where qualifications are listed), the quote."""
        text = self.norm(para)
        items = self.items_of.get(para.id, [])
        own = [strip_item(self.norm(i)) for i in items]
        usable = [s for s in own if usable_item(s)]
        intro, noun = _intro(text.split("\n", 1)[0])
        if len(usable) < need or not intro:
            return None
        kinds = list_kinds(usable)
        usable = [s for s in usable if option_kind(s) in kinds]
        pool = [(pid, s) for pid, s in self.item_pool(para.doc_key)
                if pid != para.id and s not in text and s not in own and option_kind(s) in kinds
                and all(similarity(s, o) < 0.5 and s not in o and o not in s for o in own)]
        same_doc = [(pid, s) for pid, s in pool if pid.split("/")[0] == para.doc_key]
        if len(same_doc) >= 6:
            pool = same_doc
        ranked = [s for _, s in sorted(pool, key=lambda t: (-max(similarity(t[1], o) for o in own), t[1]))]
        lead_quote = trim_clause(SPACE.sub("", para.text).split("\n", 1)[0])
        originals = [SPACE.sub("", i.text).strip() for i in items]
        listing = "".join(originals)
        if len(lead_quote) + len(listing) > 600:  # long lists: the lead and the items the question uses
            shown_items = [o for o, s in zip(originals, own, strict=True) if s in usable]
            listing = "……" + "……".join(shown_items[:4])
        return {"usable": usable, "intro": intro, "noun": noun, "ranked": ranked, "kinds": sorted(kinds),
                "unit": "款" if para.n_paras > 1 else "条", "quote": f"{lead_quote}：{listing}".rstrip("。；;")}

    def _items_question(self, cand: Candidate, qtype: str, rng: random.Random) -> Question | None:
        if qtype == "填空":
            return None
        m = self._items_material(cand.prov, {"多选": 2, "单选": 1, "判断": 1}[qtype])
        if m is None:
            return None
        p = self.cited(cand.prov)
        if qtype == "判断":
            return self._items_judge(p, m, rng)
        usable, unit, noun = m["usable"], m["unit"], m["noun"]
        k = 1 if qtype == "单选" else (rng.choice([2, 3]) if len(usable) >= 3 else 2)
        right = rng.sample(usable, k)
        wrong = self.pick(rng, m["ranked"], 4 - k)
        if len(wrong) < 4 - k:
            return None
        options = right + wrong
        rng.shuffle(options)
        letters = "".join(sorted(LETTERS[options.index(x)] for x in right))
        ask = "的有" if qtype == "多选" else "的是"
        stem = f"依据{short_citation(p)}，关于“{m['intro']}”，下列属于该{unit}所列{noun}{ask}{BLANK}。"
        named = "".join(f"“{x}”" for x in sorted(right, key=options.index))
        expl = (f"{p.citation}规定：“{m['quote']}”。{named}{'均' if k > 1 else ''}为该{unit}所列{noun}，"
                f"其余选项不在其中。{self._status_note(p)}")
        return Question(qtype, stem, options, letters, expl, p.citation, p.id, self.difficulty, TOPIC_OF["items"],
                        keys=right, absent=wrong, meta={"kind": "items", "intro": m["intro"], "kinds": m["kinds"]})

    def _items_judge(self, p: Provision, m: dict, rng: random.Random) -> Question | None:
        truth = self.truth(rng)
        wrong = [] if truth else self.pick(rng, m["ranked"], 1)
        if not truth and not wrong:
            return None
        shown = rng.choice(m["usable"]) if truth else wrong[0]
        unit, noun = m["unit"], m["noun"]
        stem = f"依据{short_citation(p)}，“{m['intro']}”中所列的{noun}包括：“{shown}”。"
        verdict = f"属于该{unit}所列{noun}，故正确。" if truth else f"不在该{unit}所列{noun}之中，故错误。"
        expl = f"{p.citation}规定：“{m['quote']}”。“{shown}”{verdict}{self._status_note(p)}"
        return Question("判断", stem, [], TRUE if truth else FALSE, expl, p.citation, p.id, self.difficulty,
                        TOPIC_OF["items"], keys=[shown] if truth else [], absent=wrong,
                        meta={"kind": "items", "shown": shown, "intro": m["intro"], "kinds": m["kinds"]})


def _sanction_context(sentences: list[str], si: int, gi: int, segs: list[str]) -> list[str]:
    """The sanction clauses the stem keeps before the asked segment: the common opening of the sanctions
    (由…责令限期改正) when the segment is in a later sentence, then this sentence's opening up to its first fine
    (without that fine's condition) and what follows the last fine before the segment."""
    context: list[str] = []
    if si > 0:
        for s in re.split(r"[，,：:]", trim_clause(sentences[0])):
            if not s or FINE_ANY.search(s) or TIER_WORD.search(s) or s.endswith("的") or "规定" in s:
                break
            context.append(s)
    fines_before = [k for k in range(gi) if FINE_ANY.search(segs[k])]
    if not fines_before:
        return context + [s for s in segs[:gi] if s]
    opening = segs[: fines_before[0]]
    if opening and opening[-1].endswith("的"):
        opening = opening[:-1]
    return context + [s for s in opening + segs[fines_before[-1] + 1:gi] if s]


def _blank_bound(value: str, gap_template: str, parts: list[str]) -> tuple[str, str]:
    """填空 for a fine: blank the upper bound of a range ('5万元以上____以下'), else the whole amount."""
    m = re.fullmatch(r"(.*以上)?(.+?)以下", value)
    if m:
        blank_value = m.group(2)
        shown = (m.group(1) or "") + FILL + "以下"
    else:
        m = re.fullmatch(r"(.+?)以上", value)
        blank_value = m.group(1) if m else value
        shown = FILL + "以上" if m else FILL
    body = "，".join([*parts, gap_template.replace("{gap}", shown)])
    return blank_value, body



def _segment_target(seg: str) -> str | None:
    m = TARGET_PHRASE.search(seg)
    return target_of(m.group(1)) if m else None


def _intro(lead: str) -> tuple[str, str]:
    """The list's introduction ('特种设备使用单位…应当包括以下内容') and the listed noun (内容/行为/情形…)."""
    lead = lead.strip().rstrip("：:")
    sentence = next((s for s in split_sentences(lead) if re.search(r"下列|以下", s)), "")
    sentence = trim_clause(sentence)
    if not sentence:
        return "", ""
    segs = [s for s in re.split(r"[，,]", sentence) if not re.fullmatch(r"违反本(?:法|条例|办法|规定)(?:规定)?", s)]
    i = next((k for k, s in enumerate(segs) if re.search(r"下列|以下", s)), 0)
    first = 0
    while first < i and len("，".join(segs[first:i + 1])) > 90:
        first += 1
    intro = "，".join(segs[first:i + 1])
    if len(intro) < 12 and i + 1 < len(segs):
        intro += "，" + segs[i + 1]
    intro = re.sub(r"^违反本(?:法|条例|办法|规定)(?:规定)?[，,]", "", intro)
    m = re.search(r"(?:下列|以下)([\u4e00-\u9fa5]{1,4}?)(?:之一|$|，|的|：)", intro)
    noun = m.group(1) if m else "事项"
    if noun in ("规定", "各项", "几"):
        noun = "事项"
    return intro, noun


