# quanzi — two commands on a fresh machine: `make run` and `make test`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# `make test` runs the suite in this many processes (pytest-xdist); 0 runs it in one
TEST_WORKERS ?= 2
FONT   := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

.PHONY: run test check install install-dev fonts browser migrate demo serve worker bench clean

run: install fonts migrate demo serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Posters and demo pictures draw Chinese text: a CJK font from Debian's packages.
fonts:
	@if [ ! -f $(FONT) ] && [ -z "$$QUANZI_CJK_FONT" ]; then \
	  if command -v apt-get >/dev/null; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq fonts-wqy-microhei; \
	  else echo "install the WenQuanYi Micro Hei font or set QUANZI_CJK_FONT"; fi; \
	fi

# Browser tests drive Debian's Chromium; without it (and outside CI) they skip.
browser:
	@bash scripts/ensure_chromium.sh || echo "no Chromium at /usr/bin/chromium: browser tests will skip"

migrate: install
	$(BIN)/quanzi db upgrade

demo: install
	$(BIN)/quanzi demo

# The site, the API and the background jobs: `quanzi serve` starts the worker as its child
# and Ctrl-C stops both. Production runs `quanzi serve --no-worker` and `quanzi worker`.
serve: install
	$(BIN)/quanzi serve --host $(HOST) --port $(PORT)

# A worker of its own (beside `quanzi serve --no-worker`, or a second one: it stands by).
worker: install
	$(BIN)/quanzi worker

# The static checks (configured in pyproject.toml): ruff on src, tests and bench, mypy --strict on
# the package, deptry on the dependency list. The import contracts run inside pytest.
check: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/deptry src

test: check fonts browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

bench: install-dev
	$(BIN)/python bench/checkout.py
	$(BIN)/python bench/redirect.py
	$(BIN)/python bench/flash_sale.py
	$(BIN)/python bench/batch_orders.py

clean:
	rm -rf $(VENV) data quanzi.db quanzi.db-wal quanzi.db-shm test-artifacts .mypy_cache .ruff_cache
