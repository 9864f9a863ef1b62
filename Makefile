# Yiju — two targets do all set-up on a fresh machine: `make run` and `make test`.
PY      ?= python3.11
VENV    ?= .venv
BIN     := $(VENV)/bin
SHARED  ?= $(abspath ../shared)
export YIJU_HOME ?= $(CURDIR)/.yiju
# The shared corpus (rules, regulations, cases) is read in place, never copied into the repo.
ifneq ($(wildcard $(SHARED)/corpus),)
export YIJU_CORPUS_DIRS ?= $(SHARED)/corpus
endif
PYTEST_ARGS ?=

.PHONY: run test install browser index eval bench lint clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)

# torch first: `torch==2.13.0` takes the local CPU wheel; a bare `torch` would pull CUDA builds.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Debian chromium (driven by playwright, no browser download) and CJK fonts for readable screenshots.
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk"; } || { \
	  echo "installing Debian chromium and fonts-noto-cjk for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

index: install
	$(BIN)/yiju index build

run: install index
	$(BIN)/yiju serve

test: install browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

eval: install
	$(BIN)/yiju eval

bench: install
	$(BIN)/yiju bench

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(YIJU_HOME)
