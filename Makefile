# Two commands do all the set-up on a fresh Debian/Ubuntu machine:
#   make pdf    install what is missing, then build the booklet into dist/
#   make test   install what is missing, then run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: pdf test setup system bytecode lint proof goldens reading-order a11y bench clean

pdf: setup
	$(BIN)/booklet build .

test: setup
	$(BIN)/python -m pytest

setup: system $(STAMP) bytecode

# Compiled bytecode of booklet's own modules: with PYTHONDONTWRITEBYTECODE set (common in
# containers) Python would compile every module again in each new process (~0.1 s a build).
# The out-of-line cffi module of WeasyPrint's C declarations (booklet.render.fastffi) is
# written into the user cache by importing WeasyPrint once.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q src/booklet >/dev/null
	@$(BIN)/python -c "import booklet.render, weasyprint.text.ffi" >/dev/null 2>&1 || true

system:
	@sh scripts/system-packages.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

# Proof images of the seed booklet: dist/proof/page-NN.png + contact sheet; the README shows
# docs/contact-sheet.png, refreshed here.
proof: setup
	$(BIN)/booklet proof . --dpi 100
	mkdir -p docs && cp dist/proof/contact-sheet.png docs/contact-sheet.png

# Visual regression goldens (tests/goldens/): regenerate after a deliberate design change.
goldens: setup
	$(BIN)/python -m tests.regen_goldens

# What a screen reader reads, in order: the screen edition's structure tree as text
# (docs/reading-order.txt; a test fails when it no longer matches the booklet).
reading-order: setup
	rm -rf .cache/reading-order
	$(BIN)/booklet build . --out .cache/reading-order --edition screen -q
	$(BIN)/python -m booklet.check.structure order .cache/reading-order/*.pdf > docs/reading-order.txt

# An independent accessibility check of the screen edition (outloud: PDF/UA-1 and WCAG 2.2).
a11y: setup
	$(BIN)/python -m pip install -q -e ".[a11y]"
	rm -rf .cache/a11y
	$(BIN)/booklet build . --out .cache/a11y --edition screen -q
	$(BIN)/outloud --no-info --fail-on error .cache/a11y/*.pdf

lint: setup
	$(BIN)/ruff check src tests figures bench

clean:
	rm -rf dist .cache

# Benchmarks against Typst: writes bench/RESULTS.md (takes a few minutes).
bench: setup
	$(BIN)/python bench/run.py
