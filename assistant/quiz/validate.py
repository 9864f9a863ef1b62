"""Re-checks every emitted question: the cited text alone must determine its answer."""

from __future__ import annotations

import re

from assistant.quiz.model import FALSE, FILL, LETTERS, TRUE, TYPES, Question
from assistant.quiz.normalize import normalize
from corpus.load import Corpus

# -- validation ---------------------------------------------------------------------------------------------------

def validate_question(q: Question, corpus: Corpus) -> list[str]:
    """Problems that would make the question unfair; [] when the cited text alone determines its answer."""
    problems: list[str] = []
    p = corpus.provisions.get(q.provision_id)
    if p is None:
        return [f"引用的条文不存在：{q.provision_id}"]
    if q.citation != p.citation:
        problems.append(f"引用格式与条文不符：{q.citation} ≠ {p.citation}")
    if q.qtype not in TYPES:
        problems.append(f"未知题型：{q.qtype}")
    text = normalize(p.text)
    for k in q.keys:
        if normalize(k) not in text:
            problems.append(f"答案要点不在所引条文中：{k}")
    for a in q.absent:
        if normalize(a) in text:
            problems.append(f"干扰项出现在所引条文中：{a}")
    filled = q.meta.get("filled")
    if filled and filled not in text:
        problems.append("填入答案后的条文片段与原文不一致")
    if q.qtype in ("单选", "多选"):
        if len(q.options) != 4 or len(set(q.options)) != 4 or not all(o.strip() for o in q.options):
            problems.append("选择题须有4个互不相同的选项")
        if not re.fullmatch(r"[A-D]+", q.answer or "") or "".join(sorted(set(q.answer))) != q.answer:
            problems.append(f"答案格式错误：{q.answer}")
        elif q.qtype == "单选" and len(q.answer) != 1:
            problems.append("单选题只能有一个答案")
        elif q.qtype == "多选" and len(q.answer) < 2:
            problems.append("多选题至少两个答案")
        right = q.correct_options()
        wrong = [o for i, o in enumerate(q.options) if LETTERS[i] not in q.answer]
        if not wrong:
            problems.append("没有干扰项")
        if q.meta.get("kind") == "article":
            snippet = q.meta.get("snippet", "")
            if right != [q.meta.get("answer_label")]:
                problems.append("条文定位题的答案与所引条文不符")
            for did in q.meta.get("distractor_ids", []):
                d = corpus.provisions.get(did)
                if d is None or snippet in normalize(d.text):
                    problems.append(f"干扰条文也含有该表述：{did}")
        else:
            if sorted(normalize(x) for x in right) != sorted(normalize(k) for k in q.keys):
                problems.append("正确选项与答案要点不一致")
            if sorted(normalize(x) for x in wrong) != sorted(normalize(a) for a in q.absent):
                problems.append("干扰项未全部核对")
            gap = q.meta.get("gap")
            if gap:
                for w in wrong:
                    if gap.replace("{gap}", w) in text:
                        problems.append(f"干扰项填入后同样符合原文：{w}")
    elif q.qtype == "判断":
        if q.answer not in (TRUE, FALSE):
            problems.append(f"判断题答案须为{TRUE}或{FALSE}")
        if q.meta.get("kind") == "article":
            shown = corpus.provisions.get(q.meta.get("shown_id", ""))
            snippet = q.meta.get("snippet", "")
            if shown is None:
                problems.append("判断题所称条文不存在")
            elif (shown.id == p.id) != (q.answer == TRUE):
                problems.append("判断题所称条文与答案不符")
            elif shown.id != p.id and snippet in normalize(shown.text):
                problems.append("所称条文同样含有该表述")
        shown = q.meta.get("shown", "")
        if q.answer == TRUE and not all(normalize(k) in q.stem for k in q.keys):
            problems.append("判断题（正确）的题干未包含条文原值")
        if q.answer == FALSE and (not q.absent or not all(a in q.stem for a in q.absent)):
            problems.append("判断题（错误）须注明被改动的值")
        if shown and q.answer == FALSE and normalize(shown) in text:
            problems.append("判断题（错误）的改动值出现在条文中")
        gap = q.meta.get("gap")
        if gap and q.answer == FALSE and gap.replace("{gap}", shown) in text:
            problems.append("判断题（错误）的表述与原文一致")
    elif q.qtype == "填空":
        if q.stem.count(FILL) != 1:
            problems.append("填空题须恰有一个空")
        if not q.answer or normalize(q.answer) not in text:
            problems.append("填空答案不在所引条文中")
        fill = q.meta.get("fill", "")
        if fill and fill.replace(FILL, q.answer) not in text and not filled:
            problems.append("填空补全后与原文不一致")
    if not q.explanation or q.citation not in q.explanation:
        problems.append("解析须引用条文")
    return problems


def answer_is_grounded(q: Question, corpus: Corpus) -> bool:
    """True when the cited provision's text alone determines the answer (see `validate_question`)."""
    return not validate_question(q, corpus)


