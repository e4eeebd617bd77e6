# newsclean: `make run` cleans seeds/ into output/; `make test` runs the test suite.
# Both create .venv and install the project into it first (python3.11, pip, venv, make).

PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false

.PHONY: run test quality serve clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/newsclean run --input seeds --output output

test: $(VENV)/.installed
	$(PY) -m pytest

quality: $(VENV)/.installed
	$(PY) bench/quality.py

clean:
	rm -rf output/* .pytest_cache
