# Thin wrapper around sphinx-build and pytest. Every target that runs Python creates .venv
# from requirements.txt first when it is missing or older than requirements.txt.
# `make help` lists the targets: the `##` text beside each one below.

PYTHON    ?= python3
VENV      ?= .venv
BIN       := $(VENV)/bin
READY     := $(VENV)/.installed
SOURCEDIR := docs
BUILDDIR  ?= _build
FILES     ?=
CELLS     ?=
SERVE_PORT ?= 8000
SPHINX    := $(BIN)/sphinx-build -c .
STRICT    := -n -W --keep-going
VERSION   := $(shell cat VERSION)
DIST      := $(BUILDDIR)/dist/memo-docs-$(VERSION).zip
PIN_VENV  := $(BUILDDIR)/requirements-venv
TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu
TORCH_PIN := $(shell grep '^torch==' requirements.txt)
# The build never needs the network, and doctest and strict prove it. Where the kernel allows a
# network namespace they run in one that has no network (`unshare -rn`). Where it does not (a
# Docker job container's seccomp profile, AppArmor on GitHub's Ubuntu runners), every Python
# process of the build starts with tools/offline_guard on PYTHONPATH, which refuses connections
# beyond this machine. CI=true requires one of the two; OFFLINE_GUARD= leaves the namespace alone.
UNSHARE   ?= unshare
OFFLINE_GUARD ?= env PYTHONPATH=$(CURDIR)/tools/offline_guard$(if $(PYTHONPATH),:$(PYTHONPATH))
NETNS     := $(shell $(UNSHARE) -rn true 2>/dev/null && echo "$(UNSHARE) -rn")
OFFLINE   := $(or $(NETNS),$(OFFLINE_GUARD))

.PHONY: help
help: ## list the targets
	@echo "usage: make TARGET [FILES=docs/page.md] [CELLS=...] [SERVE_PORT=8000] [BUILDDIR=_build] [VENV=.venv] [PYTHON=python3]"
	@awk -F ':.*## ' '/^[a-z-]+:.*## / { printf "  %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

# Torch's CPU build first where pip would fetch PyPI's CUDA build (tools/bootstrap.sh).
$(READY): requirements.txt
	@TORCH_CPU_INDEX="$(TORCH_CPU_INDEX)" tools/bootstrap.sh "$(PYTHON)" "$(VENV)"

.PHONY: venv
venv: $(READY) ## create .venv from requirements.txt (every target does it when needed)
	@echo "The environment is in $(VENV)."

.PHONY: html
html: $(READY) ## build the site into _build/html
	$(SPHINX) -b html $(SOURCEDIR) $(BUILDDIR)/html
	@echo "HTML pages are in $(BUILDDIR)/html (open $(BUILDDIR)/html/index.html)."

.PHONY: doctest
doctest: $(READY) offline-check ## verify printed outputs, offline (one page with FILES)
	$(OFFLINE) $(SPHINX) -b doctest $(STRICT) $(SOURCEDIR) $(BUILDDIR)/doctest $(FILES)
	@echo "Doctest report is in $(BUILDDIR)/doctest/output.txt."

# One venv per supported Python and torch build (tools/doctest_matrix.py CELLS), each
# running `make doctest`. Not part of `test`: a CUDA cell downloads about 2.6 GB.
.PHONY: doctest-matrix
doctest-matrix: ## make doctest in every supported environment (CELLS picks some)
	$(PYTHON) tools/doctest_matrix.py --build-dir $(BUILDDIR) $(CELLS)
	@echo "Each cell's venv, log and doctest report are in $(BUILDDIR)/matrix/<cell>/; the table is in $(BUILDDIR)/matrix/results.json."

# -E reads every page afresh: a warning is only emitted when its page is read or written,
# so an incremental build after `make html` could hide it.
.PHONY: strict
strict: $(READY) offline-check ## HTML build, nitpicky, warnings are errors, offline
	$(OFFLINE) $(SPHINX) -b html -E $(STRICT) $(SOURCEDIR) $(BUILDDIR)/html
	@echo "Strict HTML build (nitpicky, warnings are errors) is in $(BUILDDIR)/html."

.PHONY: offline-check
offline-check: ## say how doctest and strict are kept off the network (CI requires a way)
ifeq ($(OFFLINE),)
ifeq ($(CI),true)
	$(error `$(UNSHARE) -rn` cannot enter a network namespace here, there is no OFFLINE_GUARD, and CI=true requires the offline check)
else
	@echo "warning: \`$(UNSHARE) -rn\` cannot enter a network namespace here and OFFLINE_GUARD is empty: running WITH network access, offline not proven" >&2
endif
else ifeq ($(NETNS),)
	@echo "offline: \`$(UNSHARE) -rn\` cannot enter a network namespace here; Python refuses the network instead (tools/offline_guard)" >&2
else
	@:
endif

.PHONY: lint
lint: $(READY) ## untested Python, skips without a reason, foreign resources, labels
	$(BIN)/python tools/lint_docs.py $(SOURCEDIR)
	@echo "Lint passed: no untested Python, every page labelled."

# On every core (pytest-xdist); tests that share an expensive fixture run on one worker
# (ONE_WORKER_TESTS in tests/conftest.py). PYTEST_WORKERS=0 runs the suite in one process, as `-p no:xdist` does.
# It prints the 30 slowest tests: where to look when the suite slows down (make bench-test times it).
PYTEST_WORKERS ?= auto
.PHONY: pytest
pytest: $(READY) ## the pytest suite on every core, against the site built in _build/html
	MEMO_SITE_DIR=$(BUILDDIR)/html MEMO_SCREENSHOT_DIR=$(BUILDDIR)/screenshots $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not pipeline" --durations=30
	@echo "pytest finished; browser screenshots are in $(BUILDDIR)/screenshots."

# The jobs of .github/workflows and .readthedocs.yaml, each run end to end the way its host runs
# it (a job container without namespaces, Read the Docs as a user without root): a minute or
# more each, so they run after `make test` in CI (.ci/run), like `make test-release`.
.PHONY: test-pipelines
test-pipelines: $(READY) ## the Pages, Read the Docs and matrix jobs end to end, against the site built in _build/html
	@test -f $(BUILDDIR)/html/index.html || $(MAKE) --no-print-directory strict
	MEMO_SITE_DIR=$(BUILDDIR)/html $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m pipeline
	@echo "The pipeline jobs passed; their copies of the project were in pytest's temporary folder."

# Lint, then the strict build, then doctest beside the book, each on a core of its own
# (TEST_JOBS), then pytest against all of it. The book writes from strict's doctrees, the PDF
# and then the EPUB, never both at once on those doctrees; doctest needs nothing from strict,
# but starting after it, it never compiles locale/*.mo while another build does.
TEST_JOBS ?= 2
.PHONY: test
test: $(READY) ## every check: lint, strict, then doctest beside book, then pytest (what CI runs)
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target test-builds
	@$(MAKE) --no-print-directory pytest
	@echo "All checks passed."

.PHONY: test-builds
test-builds: lint strict doctest book ## make test without pytest: lint, strict, then doctest beside the book
ifneq ($(filter test-builds,$(MAKECMDGOALS)),)
strict: lint
doctest pdf epub: strict
epub: pdf
endif

# A label moved under a declared redirect keeps its published URL in the lock (_ext/anchor_lock.py).
.PHONY: lock-anchors
lock-anchors: $(READY) ## rewrite anchors.lock.json, the citable anchors, from a build
	$(SPHINX) -b html -D anchor_lock_update=1 $(SOURCEDIR) $(BUILDDIR)/html
	@echo "anchors.lock.json now locks $$(grep -c '"url":' anchors.lock.json) anchors (from the build in $(BUILDDIR)/html); review the diff and commit it."

.PHONY: dist
dist: html pdf epub ## zip the built site (with the PDF and EPUB) for reading offline
	$(BIN)/python tools/make_dist.py $(BUILDDIR)/html $(DIST)
	@echo "Offline copy of the site is in $(DIST) (unzip it and open index.html)."

# -- The book: the whole site as a PDF and an EPUB ---------------------------------------------
# Both reuse the doctrees of the HTML build in SITEDIR (-d), as Sphinx's own Makefile shares them
# between builders: after `make strict` (which reads every page with -E and checks every warning)
# only the writing is left. Each file is also copied into SITEDIR, whose pages link it.
# latexmk -xelatex runs xelatex without making a PDF until the last run (then xdvipdfmx once);
# tools/latex_log_check.py fails on what xelatex only logs (missing glyphs, undefined references).
BOOK_PACKAGES := texlive-xetex texlive-lang-chinese texlive-latex-extra texlive-fonts-recommended latexmk fonts-noto-cjk fonts-dejavu-core
SITEDIR       ?= $(BUILDDIR)/html
BOOK_SPHINX   := $(OFFLINE) $(SPHINX) $(STRICT) -d $(SITEDIR)/.doctrees
PDF           := $(BUILDDIR)/latex/memo.pdf
EPUB          := $(BUILDDIR)/epub/memo.epub

.PHONY: tex-check
tex-check: ## say in one line which Debian packages `make pdf` needs, if any is missing
	@command -v xelatex >/dev/null && command -v latexmk >/dev/null && kpsewhich ctexrep.cls pzdr.tfm >/dev/null \
	  && fc-list "Noto Serif CJK SC" | grep -q . && fc-list "DejaVu Serif" | grep -q . \
	  || { echo "error: make pdf needs TeX Live and fonts from Debian: apt-get install $(BOOK_PACKAGES)" >&2; exit 1; }

.PHONY: pdf
pdf: tex-check $(READY) offline-check ## the whole site as one PDF: _build/latex/memo.pdf (xelatex)
	$(BOOK_SPHINX) -b latex $(SOURCEDIR) $(BUILDDIR)/latex
	$(MAKE) --no-print-directory -C $(BUILDDIR)/latex all-pdf LATEXMKOPTS="-xelatex -silent" LATEXOPTS="-interaction=nonstopmode -halt-on-error"
	$(BIN)/python tools/latex_log_check.py $(BUILDDIR)/latex/memo.log $(SOURCEDIR)
	@if [ -f $(SITEDIR)/index.html ]; then cp $(PDF) $(SITEDIR)/memo.pdf; fi
	@echo "The PDF is $(PDF) ($$(pdfinfo $(PDF) 2>/dev/null | awk '/^Pages:/ {print $$2}') pages); the HTML build links a copy."

.PHONY: epub
epub: $(READY) offline-check ## the whole site as one EPUB: _build/epub/memo.epub
	$(BOOK_SPHINX) -b epub $(SOURCEDIR) $(BUILDDIR)/epub
	@if [ -f $(SITEDIR)/index.html ]; then cp $(EPUB) $(SITEDIR)/memo.epub; fi
	@echo "The EPUB is $(EPUB); the HTML build links a copy. Check it with: epubcheck $(EPUB)"

.PHONY: book
book: pdf epub ## the PDF and the EPUB (make pdf, make epub), copied into the HTML build
	@echo "The book is in $(PDF) and $(EPUB), and in $(SITEDIR) for the site's links."

# The preview leaves out links inside code (see conf.py).
# tools/serve.py is sphinx-autobuild with each rebuild forked from a process that has
# already imported Sphinx.
.PHONY: serve
serve: $(READY) ## live-reloading preview at http://127.0.0.1:8000 (SERVE_PORT)
	MEMO_PREVIEW=1 $(BIN)/python tools/serve.py -c . $(SOURCEDIR) $(BUILDDIR)/preview --watch examples --watch _ext --port $(SERVE_PORT)
	@echo "Preview server stopped; the preview was built in $(BUILDDIR)/preview."

.PHONY: clean
clean: ## remove _build
	rm -rf $(BUILDDIR)
	@echo "Removed $(BUILDDIR)."

.PHONY: inventories
inventories: $(READY) ## rebuild inventories/*.inv offline from what upstream documents
	$(BIN)/python tools/make_inventories.py
	@echo "Intersphinx inventories rebuilt in inventories/ (python.inv, numpy.inv, and torch.inv from inventories/torch-documented.json)."

# Pins come from a fresh venv, so nothing installed by hand in $(VENV) leaks into them.
# The CPU wheel's local version (torch==2.13.0+cpu) is pinned as the plain version, which
# pip can satisfy with either wheel. Unchanged pins leave the file (and so .venv) alone.
.PHONY: requirements
requirements: ## re-pin requirements.txt from requirements.in (in a fresh venv)
	rm -rf $(PIN_VENV)
	@tools/bootstrap.sh "$(PYTHON)" "$(PIN_VENV)" requirements.in
	$(PIN_VENV)/bin/python -m pip freeze --exclude-editable > $(PIN_VENV)/frozen.txt
	{ echo "# Generated from requirements.in by 'make requirements' (pip freeze of a fresh venv). Do not edit by hand."; \
	  sed 's/^torch==\(.*\)+cpu$$/torch==\1/' $(PIN_VENV)/frozen.txt; } > $(PIN_VENV)/requirements.txt
	cmp -s $(PIN_VENV)/requirements.txt requirements.txt || cp $(PIN_VENV)/requirements.txt requirements.txt
	rm -rf $(PIN_VENV)
	@echo "Pinned versions written to requirements.txt (frozen from a fresh venv in $(PIN_VENV), now removed)."

.PHONY: bench
bench: $(READY) ## doctest overhead, build times, page weight, book (pdf, epub) times
	$(BIN)/python tools/bench.py
	@echo "Benchmark results are in $(BUILDDIR)/bench.json."

# Minutes: the steps of `make test` from a clean build, and pytest serial against parallel.
.PHONY: bench-test
bench-test: $(READY) ## time each step of make test; pytest in one process and on every core
	$(BIN)/python tools/bench.py --only test
	@echo "Benchmark results are in $(BUILDDIR)/bench.json; the runs' build and JUnit reports in $(BUILDDIR)/bench/test."


# The CPU build of the pinned torch, for machines whose pip would fetch the multi-GB CUDA
# build from PyPI: the README, .github/workflows/pages.yml and .readthedocs.yaml call it,
# and the next target's bootstrap installs the rest of requirements.txt around it.
.PHONY: cpu-torch
cpu-torch: ## create .venv with the CPU wheel of requirements.txt's torch (see README)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --index-url $(TORCH_CPU_INDEX) "$(TORCH_PIN)"
	@echo "$(TORCH_PIN) (CPU build) is installed in $(VENV); the next make target adds the rest of requirements.txt."

# -- frozen releases (CONTRIBUTING.md, "Releases") ---------------------------------------
# `make snapshot` builds the checked-out release (a clean checkout of tag v<VERSION>) once,
# for its permanent address <html_baseurl>v/<VERSION>/, reproducibly: dates come from the
# commit (SOURCE_DATE_EPOCH), so two snapshots of one commit are byte-identical. Its build
# state (and the build caches) stay in $(SNAPSHOT_WORK); the snapshot itself is only the
# files listed in its SHA256SUMS. PDF and EPUB join it where this checkout builds them.
SNAPSHOT      := $(BUILDDIR)/snapshot/$(VERSION)
# The book's sub-makes through a variable of their own: `make -n snapshot` prints them instead of
# running them (a line that names $(MAKE) runs even under -n, and make pdf's own sub-make needs a
# folder that only a real run creates).
BOOK_MAKE     = $(MAKE)
has_target    = $(shell $(BOOK_MAKE) -pRrq -f $(firstword $(MAKEFILE_LIST)) : 2>/dev/null | grep -q '^$(1):' && echo yes)
SNAPSHOT_WORK := $(BUILDDIR)/snapshot/.work
ARCHIVE       ?=

.PHONY: snapshot
# TZ: TeX's \today follows SOURCE_DATE_EPOCH in the local time zone. Whether this checkout has
# `make pdf` and `make epub` is asked of make's database (`make -n` would run their sub-makes). They
# reuse the HTML build's doctrees through SITEDIR/.doctrees (a link to ours, which seal removes)
# and put a copy of the book beside the pages, where they link it.
snapshot: export SOURCE_DATE_EPOCH = $(shell git log -1 --format=%ct 2>/dev/null)
snapshot: export FORCE_SOURCE_DATE = 1
snapshot: export TZ = UTC
snapshot: export MEMO_SNAPSHOT = 1
snapshot: $(READY) offline-check ## freeze the checked-out release into _build/snapshot/<VERSION> (html/, SHA256SUMS)
	$(BIN)/python tools/snapshot.py check $(VERSION)
	rm -rf $(SNAPSHOT)
	$(OFFLINE) $(SPHINX) -b html -E $(STRICT) -d $(SNAPSHOT_WORK)/doctrees $(SOURCEDIR) $(SNAPSHOT)/html
	ln -s $(abspath $(SNAPSHOT_WORK)/doctrees) $(SNAPSHOT)/html/.doctrees
	$(if $(call has_target,pdf),$(BOOK_MAKE) --no-print-directory pdf BUILDDIR=$(SNAPSHOT_WORK) SITEDIR=$(SNAPSHOT)/html && cp $(SNAPSHOT_WORK)/latex/memo.pdf $(SNAPSHOT)/memo-$(VERSION).pdf,@echo "make snapshot: this checkout has no \`make pdf\`: no PDF in the snapshot")
	$(if $(call has_target,epub),$(BOOK_MAKE) --no-print-directory epub BUILDDIR=$(SNAPSHOT_WORK) SITEDIR=$(SNAPSHOT)/html && cp $(SNAPSHOT_WORK)/epub/memo.epub $(SNAPSHOT)/memo-$(VERSION).epub,@echo "make snapshot: this checkout has no \`make epub\`: no EPUB in the snapshot")
	$(BIN)/python tools/snapshot.py seal $(SNAPSHOT)
	@echo "The snapshot of $(VERSION) is in $(SNAPSHOT) (add it to the archive: CONTRIBUTING.md, Releases)."

# The living site from $(BUILDDIR)/html (built first if missing), then every snapshot in
# ARCHIVE as v/<version>/, each checked against its SHA256SUMS.
.PHONY: site
site: $(READY) ## the deployable site in _build/site: the living site plus v/<version>/ of each snapshot in ARCHIVE=<dir>
	@test -n "$(ARCHIVE)" || { echo "error: make site needs ARCHIVE=<folder holding one snapshot folder per version>" >&2; exit 2; }
	@test -f $(BUILDDIR)/html/index.html || $(MAKE) --no-print-directory html
	$(BIN)/python tools/make_site.py $(BUILDDIR)/html $(ARCHIVE) $(BUILDDIR)/site $(VERSION)
	@echo "The site to deploy is in $(BUILDDIR)/site (open $(BUILDDIR)/site/index.html; versions in $(BUILDDIR)/site/versions.json)."

# Not part of `test`: four full builds in temporary clones (tests/release_e2e.py). CI runs it
# after `make test` (.ci/run).
.PHONY: test-release
test-release: $(READY) ## two releases end to end in a temporary clone: snapshot, edit, snapshot, site, tamper, rebuild
	MEMO_VENV=$(VENV) MEMO_RELEASE_REPORT=$(BUILDDIR)/test-release.json $(BIN)/python -m pytest tests/release_e2e.py --basetemp=$(BUILDDIR)/test-release
	@echo "The release test passed; its times and sizes are in $(BUILDDIR)/test-release.json, its clones in $(BUILDDIR)/test-release."
