"""Re-checks every emitted question: the cited text alone must determine its answer, distractors are of the
answer's semantic kind, a 判断 statement stands on its own, and no 解析 refers to an option letter."""

from __future__ import annotations

import re

from assistant.quiz.candidates import DANGLING
from assistant.quiz.distractors import option_kind, other_kind
from assistant.quiz.model import FALSE, FILL, LETTERS, TRUE, TYPES, Question
from assistant.quiz.normalize import normalize
from corpus.load import Corpus
from corpus.models import Provision

VALUE_KINDS = ("fine", "multiple", "authority", "period", "duty")
# an option letter in a 解析 is wrong once Moodle (or a trainer) shuffles the options
LETTER_REF = re.compile(r"(?<![A-Za-z])[A-D]{1,4}(?![A-Za-z])")
ARTICLE_REF = re.compile(r"第[一二三四五六七八九十百零]+条|“[^”]+”部分")


def validate_question(q: Question, corpus: Corpus) -> list[str]:
    """Problems that would make the question unfair; [] when the cited text alone determines its answer."""
    p = corpus.provisions.get(q.provision_id)
    if p is None:
        return [f"引用的条文不存在：{q.provision_id}"]
    problems: list[str] = []
    if q.citation != p.citation:
        problems.append(f"引用格式与条文不符：{q.citation} ≠ {p.citation}")
    if q.qtype not in TYPES:
        problems.append(f"未知题型：{q.qtype}")
    text = normalize(p.text)
    problems += [f"答案要点不在所引条文中：{k}" for k in q.keys if normalize(k) not in text]
    problems += [f"干扰项出现在所引条文中：{a}" for a in q.absent if normalize(a) in text]
    filled = q.meta.get("filled")
    if filled and filled not in text:
        problems.append("填入答案后的条文片段与原文不一致")
    check = {"单选": _check_choice, "多选": _check_choice, "判断": _check_judge, "填空": _check_blank}.get(q.qtype)
    if check:
        problems += check(q, corpus, text)
    if not q.explanation or q.citation not in q.explanation:
        problems.append("解析须引用条文")
    if mentions_letter(q.explanation, q.citation):
        problems.append("解析不得以选项字母指称答案（选项顺序可能被打乱）")
    return problems


def _check_choice(q: Question, corpus: Corpus, text: str) -> list[str]:
    problems = []
    if len(q.options) != 4 or len(set(q.options)) != 4 or not all(o.strip() for o in q.options):
        problems.append("选择题须有4个互不相同的选项")
    if not re.fullmatch(r"[A-D]+", q.answer or "") or "".join(sorted(set(q.answer))) != q.answer:
        return [*problems, f"答案格式错误：{q.answer}"]
    if q.qtype == "单选" and len(q.answer) != 1:
        problems.append("单选题只能有一个答案")
    elif q.qtype == "多选" and len(q.answer) < 2:
        problems.append("多选题至少两个答案")
    right = q.correct_options()
    wrong = [o for i, o in enumerate(q.options) if LETTERS[i] not in q.answer]
    if not wrong:
        problems.append("没有干扰项")
    if q.meta.get("kind") == "article":
        return problems + _check_article_choice(q, corpus, right)
    if sorted(normalize(x) for x in right) != sorted(normalize(k) for k in q.keys):
        problems.append("正确选项与答案要点不一致")
    if sorted(normalize(x) for x in wrong) != sorted(normalize(a) for a in q.absent):
        problems.append("干扰项未全部核对")
    gap = q.meta.get("gap")
    for w in wrong if gap else []:
        if gap.replace("{gap}", w) in text:
            problems.append(f"干扰项填入后同样符合原文：{w}")
    return problems + _kind_problems(q, right, wrong)


def _check_article_choice(q: Question, corpus: Corpus, right: list[str]) -> list[str]:
    problems = []
    snippet = q.meta.get("snippet", "")
    if right != [q.meta.get("answer_label")]:
        problems.append("条文定位题的答案与所引条文不符")
    for did in q.meta.get("distractor_ids", []):
        d = corpus.provisions.get(did)
        if d is None or snippet in normalize(d.text):
            problems.append(f"干扰条文也含有该表述：{did}")
    return problems


def _kind_problems(q: Question, right: list[str], wrong: list[str]) -> list[str]:
    """Distractors of another semantic kind than the answer (a sanction offered as a qualification…)."""
    if q.meta.get("kind") in VALUE_KINDS:
        odd = other_kind(wrong, right)
    elif q.meta.get("kind") == "items":
        odd = [w for w in wrong if option_kind(w) not in q.meta.get("kinds", [])]
    else:
        odd = []
    return [f"干扰项与答案类别不同：{w}（{option_kind(w)}）" for w in odd]


def _check_judge(q: Question, corpus: Corpus, text: str) -> list[str]:
    problems = [] if q.answer in (TRUE, FALSE) else [f"判断题答案须为{TRUE}或{FALSE}"]
    p = corpus.provisions[q.provision_id]
    if q.meta.get("kind") == "article":
        problems += _check_article_judge(q, corpus, p)
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
    if shown and q.meta.get("kind") in VALUE_KINDS and q.answer == FALSE:
        problems += _kind_problems(q, q.keys[:1], [shown])
    if q.meta.get("kind") == "items" and shown and option_kind(shown) not in q.meta.get("kinds", []):
        problems.append(f"判断题所给项目与所列项目类别不同：{shown}")
    return problems + _self_contained(q, p)


def _check_article_judge(q: Question, corpus: Corpus, p: Provision) -> list[str]:
    shown = corpus.provisions.get(q.meta.get("shown_id", ""))
    snippet = q.meta.get("snippet", "")
    if shown is None:
        return ["判断题所称条文不存在"]
    if (shown.id == p.id) != (q.answer == TRUE):
        return ["判断题所称条文与答案不符"]
    if shown.id != p.id and snippet in normalize(shown.text):
        return ["所称条文同样含有该表述"]
    return []


def _self_contained(q: Question, p: Provision) -> list[str]:
    """A 判断 names the document and the article (or plan part) and quotes no dangling fragment."""
    problems = []
    if f"《{p.doc_key}》" not in q.stem and f"《{p.doc_title}》" not in q.stem:
        problems.append("判断题须写明法律文件名称")
    if not ARTICLE_REF.search(q.stem):
        problems.append("判断题须写明条文序号")
    for quoted in re.findall(r"：“([^”]+)”", q.stem):
        if DANGLING.match(quoted) or re.match(r"[（(][一二三四五六七八九十]+[)）]", quoted):
            problems.append(f"判断题引述的是不完整的片段：{quoted[:20]}")
    return problems


def _check_blank(q: Question, corpus: Corpus, text: str) -> list[str]:
    problems = [] if q.stem.count(FILL) == 1 else ["填空题须恰有一个空"]
    if not q.answer or normalize(q.answer) not in text:
        problems.append("填空答案不在所引条文中")
    fill = q.meta.get("fill", "")
    if fill and fill.replace(FILL, q.answer) not in text and not q.meta.get("filled"):
        problems.append("填空补全后与原文不一致")
    return problems


def mentions_letter(explanation: str, citation: str = "") -> bool:
    """Whether a 解析 names an option by its letter (quoted statute text and the citation are not looked at)."""
    own = re.sub(r"“[^”]*”", "", explanation.replace(citation, "") if citation else explanation)
    return bool(LETTER_REF.search(own))


def answer_is_grounded(q: Question, corpus: Corpus) -> bool:
    """True when the cited provision's text alone determines the answer (see `validate_question`)."""
    return not validate_question(q, corpus)
