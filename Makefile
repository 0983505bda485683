# The two set-up commands of the README: `make demo` and `make test`.
# Both create .venv on first use and install what they need into it: `make demo` the
# starter and what the project it generates needs (the `project` extra, `spark` too with
# ENGINE=spark); `make test` (and `make install`) everything the tests use besides (the
# `test` extra: Spark, MLflow, kedro-viz, mkdocs, schemathesis, zizmor, repo-review).
# Each reinstalls when setup.cfg, pyproject.toml or the version changes.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SOURCES := setup.cfg pyproject.toml kedro_ml_starter/__init__.py

.PHONY: install demo test docs pictures clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools wheel

$(VENV)/.installed: $(SOURCES) | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Creates a project with the starter in ./demo and runs it end to end.
# `make demo ENGINE=spark` uses the Spark engine (needs Java 17+).
ENGINE ?= pandas
DEMO_EXTRAS_pandas := project
DEMO_EXTRAS_spark := project,spark
DEMO_EXTRAS := $(or $(DEMO_EXTRAS_$(ENGINE)),project)

$(VENV)/.installed-demo-$(ENGINE): $(SOURCES) | $(PY)
	$(PY) -m pip install --quiet -e '.[$(DEMO_EXTRAS)]'
	touch $@

demo: $(VENV)/.installed-demo-$(ENGINE)
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
