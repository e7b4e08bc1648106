# Thin wrapper around sphinx-build and pytest. Every target creates .venv from
# requirements.txt first when it is missing or older than requirements.txt.
#
#   make html                     build the site into _build/html
#   make test                     every check (lint, doctest, strict build, pytest)
#   make doctest [FILES=docs/x.md] verify printed outputs (one page with FILES)
#   make doctest-matrix [CELLS=...] make doctest in every supported environment

PYTHON    ?= python3
VENV      ?= .venv
BIN       := $(VENV)/bin
SOURCEDIR := docs
BUILDDIR  ?= _build
FILES     ?=
CELLS     ?=
SPHINX    := $(BIN)/sphinx-build -c .
STRICT    := -n -W --keep-going
# `strict` reads every page afresh (-E): a warning is only emitted when its page is read
# or written, so an incremental build after `make html` could hide it.
# The build never needs the network; prove it where the kernel lets us, say so in one
# line where it does not, and fail under CI=true, where the proof is required.
UNSHARE   ?= unshare
OFFLINE   := $(shell $(UNSHARE) -rn true 2>/dev/null && echo "$(UNSHARE) -rn")
READY     := $(VENV)/.installed

.PHONY: help venv html doctest doctest-matrix strict lint pytest test serve clean inventories requirements bench offline-check

help:
	@echo "make html | test | doctest [FILES=docs/page.md] | doctest-matrix [CELLS=...] | serve | clean | inventories | requirements | lock-anchors | dist"

$(READY): requirements.txt
	@tools/bootstrap.sh "$(PYTHON)" "$(VENV)"

venv: $(READY)

html: $(READY)
	$(SPHINX) -b html $(SOURCEDIR) $(BUILDDIR)/html
	@echo "HTML pages are in $(BUILDDIR)/html (open $(BUILDDIR)/html/index.html)."

doctest: $(READY) offline-check
	$(OFFLINE) $(SPHINX) -b doctest $(STRICT) $(SOURCEDIR) $(BUILDDIR)/doctest $(FILES)
	@echo "Doctest report is in $(BUILDDIR)/doctest/output.txt."

# One venv per supported Python and torch build (tools/doctest_matrix.py CELLS), each
# running `make doctest`. Not part of `test`: a CUDA cell downloads about 2.6 GB.
doctest-matrix:
	$(PYTHON) tools/doctest_matrix.py --build-dir $(BUILDDIR) $(CELLS)
	@echo "Each cell's venv, log and doctest report are in $(BUILDDIR)/matrix/<cell>/; the table is in $(BUILDDIR)/matrix/results.json."

strict: $(READY) offline-check
	$(OFFLINE) $(SPHINX) -b html -E $(STRICT) $(SOURCEDIR) $(BUILDDIR)/html
	@echo "Strict HTML build (nitpicky, warnings are errors) is in $(BUILDDIR)/html."

offline-check:
ifeq ($(OFFLINE),)
ifeq ($(CI),true)
	$(error `$(UNSHARE) -rn` cannot enter a network namespace here, and CI=true requires the offline check)
else
	@echo "warning: \`$(UNSHARE) -rn\` cannot enter a network namespace here: running WITH network access, offline not proven" >&2
endif
else
	@:
endif

lint: $(READY)
	$(BIN)/python tools/lint_docs.py $(SOURCEDIR)
	@echo "Lint passed: no untested Python, every page labelled."

pytest: $(READY)
	MEMO_SITE_DIR=$(BUILDDIR)/html MEMO_SCREENSHOT_DIR=$(BUILDDIR)/screenshots $(BIN)/python -m pytest
	@echo "pytest finished; browser screenshots are in $(BUILDDIR)/screenshots."

test: lint doctest strict pytest
	@echo "All checks passed."

# Citable anchors and the offline copy.
VERSION   := $(shell cat VERSION)
DIST      := $(BUILDDIR)/dist/memo-docs-$(VERSION).zip
.PHONY: lock-anchors dist

lock-anchors: html
	cp $(BUILDDIR)/html/anchors.json anchors.lock.json
	@echo "anchors.lock.json now locks $$(grep -c '"url":' anchors.lock.json) anchors (from $(BUILDDIR)/html/anchors.json); review the diff and commit it."

dist: html
	$(BIN)/python tools/make_dist.py $(BUILDDIR)/html $(DIST)
	@echo "Offline copy of the site is in $(DIST) (unzip it and open index.html)."

# The preview leaves out links inside code and the Chinese search index (see conf.py).
serve: $(READY)
	MEMO_PREVIEW=1 $(BIN)/sphinx-autobuild -c . $(SOURCEDIR) $(BUILDDIR)/preview --watch examples --watch _ext
	@echo "Preview server stopped; the preview was built in $(BUILDDIR)/preview."

clean:
	rm -rf $(BUILDDIR)
	@echo "Removed $(BUILDDIR)."

inventories: $(READY)
	$(BIN)/python tools/make_inventories.py
	@echo "Intersphinx inventories rebuilt in inventories/ (torch.inv from inventories/torch-documented.json)."

requirements: $(READY)
	$(BIN)/python -m pip install --quiet -r requirements.in
	{ echo "# Generated from requirements.in by 'make requirements' (pip freeze of a fresh venv). Do not edit by hand."; \
	  $(BIN)/python -m pip freeze --exclude-editable | sed 's/^torch==\(.*\)+cpu$$/torch==\1/'; } > requirements.txt
	@echo "Pinned versions written to requirements.txt."

bench: $(READY)
	$(BIN)/python tools/bench.py
	@echo "Benchmark results are in $(BUILDDIR)/bench.json."
