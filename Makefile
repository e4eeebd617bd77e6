# newsclean: `make run` cleans seeds/ into output/; `make test` runs the test suite;
# `make bench` times a run on 10k news-like documents (BENCH_ARGS="--docs 2000 --workers 1").
# Both create .venv and install the project into it first (python3.11, pip, venv, make).

PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false

.PHONY: run test quality noisy htmlprobe neardup templates bench serve clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/newsclean run --input seeds --output output

# The report test renders HTML in headless Chromium: install it when missing (Debian).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
test: $(VENV)/.installed
	@command -v chromium >/dev/null 2>&1 || ($(SUDO) apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null) \
	  || echo "make test: could not install chromium; the report rendering test will be skipped"
	$(PY) -m pytest

# Serve the flow on the cron of config/pipeline.toml [schedule], against the Prefect
# server at PREFECT_API_URL or a local one started on port 4200 (UI: http://127.0.0.1:4200).
serve: $(VENV)/.installed
	$(VENV)/bin/newsclean serve --input seeds --output output --config config/pipeline.toml

quality: $(VENV)/.installed
	$(PY) bench/quality.py

# True bodies inside invented site templates, each fold with its own templates
# (bench/noisy.py; about a minute): true paragraphs kept, furniture removed, per class;
# then a second set of furniture worded otherwise, on the tune fold (bench/noisy_probe.py),
# a third worded unlike the rules and both sets, with ten more classes (bench/noisy_probe3.py),
# and a fourth, held out, worded unlike all of them (bench/noisy_probe4.py).
noisy: $(VENV)/.installed
	cd bench && ../$(PY) noisy.py --fold tune && ../$(PY) noisy.py --fold check && ../$(PY) noisy_probe.py && ../$(PY) noisy_probe3.py && ../$(PY) noisy_probe4.py

# The HTML path on old-style pages (bench/html_probe.py; under a minute a fold): the true
# bodies inside invented 2005-2012 layouts (tables, <font>, <br><br>, blogs, cp1252),
# newsclean against trafilatura alone; writes bench/results/html_probe-<fold>.json.
htmlprobe: $(VENV)/.installed
	cd bench && ../$(PY) html_probe.py --fold tune && ../$(PY) html_probe.py --fold check

# Near-duplicate clusters (precision, recall) and the LSH step's cost against 10k and 100k
# articles of history (bench/neardup.py; about two minutes); writes bench/results/neardup.json.
neardup: $(VENV)/.installed
	$(PY) bench/neardup.py

# Site templates learned from the crawl: the benchmark bodies on invented sites printing
# invented template lines, one run and two runs (bench/templates.py; a few minutes); writes
# bench/results/templates.json.
templates: $(VENV)/.installed
	$(PY) bench/templates.py

# Throughput of `newsclean run` (bench/throughput.py; not part of `make test`): 10k documents
# take about ten minutes on a 2-core machine. BENCH_ARGS passes options: --docs N, --workers N,
# --runner dask, --html, --out FILE.
BENCH_ARGS ?=
bench: $(VENV)/.installed
	$(PY) bench/throughput.py $(BENCH_ARGS)

clean:
	rm -rf output/* .pytest_cache
