# The two set-up commands of the README: `make demo` and `make test`.
# Both create .venv on first use and install what they need into it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install demo test docs pictures clean

$(VENV)/.installed: setup.cfg pyproject.toml kedro_ml_starter/__init__.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools wheel
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Creates a project with the starter in ./demo and runs it end to end.
# `make demo ENGINE=spark` uses the Spark engine (needs Java 17+).
ENGINE ?= pandas
demo: install
	$(PY) scripts/demo.py --engine $(ENGINE)

test: install
	$(PY) -m pytest

# Builds the docs site (mkdocs.yml, docs/) into site/; --strict fails on a broken link or
# anchor. `$(PY) -m mkdocs serve` previews it. NO_MKDOCS_2_WARNING silences
# mkdocs-material's banner about MkDocs 2.0, which is not a warning of this site.
docs: install
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict

# The docs' pictures (docs/images/), made from real runs of a new project; needs Debian's
# chromium. docs/contributing.md says when to run it.
pictures: install
	$(PY) scripts/pictures.py

clean:
	rm -rf $(VENV) build dist *.egg-info demo site
