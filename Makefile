# Yiju — two targets do all set-up on a fresh machine: `make run` and `make test`.
# Python 3.11 only (pyproject's requires-python, what CI tests); PY names the interpreter to use.
PY      ?= python3.11
VENV    ?= .venv
# Empty: torch comes from the configured package index. On a plain PyPI set-up use the CPU-only wheels:
#   make run TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=
BIN     := $(VENV)/bin
SHARED  ?= $(abspath ../shared)
export YIJU_HOME ?= $(CURDIR)/.yiju
# The shared corpus (rules, regulations, cases) is read in place, never copied into the repo.
ifneq ($(wildcard $(SHARED)/corpus),)
export YIJU_CORPUS_DIRS ?= $(SHARED)/corpus
endif
PYTEST_ARGS ?=

.PHONY: run test unit install browser index eval bench lint clean

PY_CHECK = import sys; sys.exit(sys.version_info[:2] != (3, 11))
NEED_PY  = 错误：Yiju 需要 Python 3.11

$(BIN)/python:
	@$(PY) -c '$(PY_CHECK)' >/dev/null 2>&1 || { \
	  echo "$(NEED_PY)，但 $(PY) 不可用或不是 3.11（$$($(PY) --version 2>&1 | head -1)）。" >&2; \
	  echo "请先安装 Python 3.11（如 apt-get install python3.11 python3.11-venv，或 pyenv install 3.11），" >&2; \
	  echo "或用 make PY=/path/to/python3.11 指定解释器。" >&2; exit 1; }
	$(PY) -m venv $(VENV)

# torch first: `torch==2.13.0` takes the local CPU wheel where one is configured; on a plain package index it
# would pull the CUDA build (several GB), so pass TORCH_INDEX (see above) there.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(BIN)/python -c '$(PY_CHECK)' || { \
	  echo "$(NEED_PY)，而 $(VENV) 是用 $$($(BIN)/python --version) 建的：请 rm -rf $(VENV) 后重试。" >&2; exit 1; }
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0 $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
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

# Two tiers: the unit tier (no index, server or browser; its time is printed, target <= 60 s), then the slow
# tier (builds the real index once, starts servers, drives chromium). A test needing the index is slow
# automatically (tests/conftest.py).
UNIT_TIER = start=$$(date +%s%N); $(BIN)/python -m pytest -q -m "not slow and not browser" $(PYTEST_ARGS); rc=$$?; \
	ms=$$(( ($$(date +%s%N) - start) / 1000000 )); \
	echo "单元测试层用时 $$((ms / 1000)).$$((ms % 1000 / 100)) 秒（目标 ≤ 60 秒）"; exit $$rc

test: install browser
	$(BIN)/ruff check .
	@$(UNIT_TIER)
	$(BIN)/python -m pytest -q -m "slow or browser" $(PYTEST_ARGS)

unit: install
	$(BIN)/ruff check .
	@$(UNIT_TIER)

eval: install
	$(BIN)/yiju eval

bench: install
	$(BIN)/yiju bench

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(YIJU_HOME)
