"""corpus.yamlio reads every knowledge file and every document's front matter into exactly what yaml.safe_load
gives (libyaml's parser, PyYAML's safe constructor), and refuses bad YAML with a yaml.YAMLError as it does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corpus import yamlio
from corpus.config import PACKAGED_DATA, corpus_dirs

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list[tuple[str, str]]:
    out = [(p.name, p.read_text("utf-8")) for p in sorted(Path(PACKAGED_DATA).glob("*.yaml"))]
    for d in [ROOT / "corpus" / "documents", *corpus_dirs()]:
        for p in sorted(Path(d).rglob("*.md")):
            text = p.read_text("utf-8", errors="replace")
            if text.startswith("---") and (end := text.find("\n---", 3)) > 0:
                out.append((p.name, text[3:end]))
    return out


def test_the_same_objects_as_yaml_safe_load():
    texts = _texts()
    assert sum(name.endswith(".yaml") for name, _ in texts) >= 10 and len(texts) >= 30
    for name, text in texts:
        assert yamlio.safe_load(text) == yaml.safe_load(text), name
    assert yamlio.LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


@pytest.mark.parametrize("text", ["a: [1, 2", "a: b: c", "!!python/object:os.system ls"])
def test_bad_or_unsafe_yaml_is_refused(text):
    with pytest.raises(yaml.YAMLError):
        yamlio.safe_load(text)
