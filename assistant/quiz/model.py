"""The quiz's data model: question types, letters, the Question record and QuizError."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

TYPES = ("单选", "多选", "判断", "填空")
LETTERS = "ABCD"
DIFFICULTIES = ("易", "中", "难")
SHARE = {"单选": 0.4, "多选": 0.2, "判断": 0.2, "填空": 0.2}
BLANK = "（  ）"  # the gap in a choice question's stem
FILL = "____"  # the gap in a 填空 stem
TRUE, FALSE = "正确", "错误"

# Which generators feed which question type (round-robin, in this order).
KINDS: dict[str, tuple[str, ...]] = {
    "单选": ("fine", "duty", "authority", "period", "article", "items", "multiple"),
    "多选": ("items",),
    "判断": ("fine", "period", "duty", "items", "authority", "multiple", "article"),
    "填空": ("period", "fine", "multiple"),
}
TOPIC_OF = {"fine": "罚款数额", "multiple": "倍数罚款", "authority": "执法主体", "period": "期限",
            "article": "条文定位", "items": "所列情形", "duty": "义务主体"}


class QuizError(ValueError):
    """A quiz request that cannot be served (unknown document, bad counts or difficulty)."""


@dataclass
class Question:
    """One exam question. `answer`: "B", "ACD", 正确/错误, or the blank's text.

    `keys` are the values the cited text must contain (normalised, see `normalize`); `absent` the values it
    must not contain (the distractors, or the falsified value of a 判断); `meta` holds generator details
    (`kind`: the generator — fine, multiple, authority, period, duty, article, items; `filled`: the clause with
    the answer filled in, exactly as in the normalised text; `alternatives`: other accepted spellings of a blank;
    `numeric`: options in ascending order; `kinds`: the semantic kinds an items question's options may have).
    """

    qtype: str
    stem: str
    options: list[str]
    answer: str
    explanation: str
    citation: str
    provision_id: str
    difficulty: str = "中"
    topic: str = ""
    keys: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    def correct_options(self) -> list[str]:
        """The option texts the answer letters point at (choice questions)."""
        if self.qtype not in ("单选", "多选"):
            return []
        return [self.options[LETTERS.index(c)] for c in self.answer if c in LETTERS[: len(self.options)]]

