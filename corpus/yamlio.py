"""YAML reading for knowledge files and front matter: libyaml's parser where PyYAML was built with it (the same
SafeConstructor and resolver as yaml.safe_load, so the same objects), ~10× faster than the pure-Python parser,
which took ~0.2–0.4 s of every new process for the ~24 files a search reads."""

from __future__ import annotations

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> object:
    """yaml.safe_load(text), by libyaml when available; raises yaml.YAMLError on bad input as it does."""
    return yaml.load(text, Loader=LOADER)  # CSafeLoader or SafeLoader: a safe loader
