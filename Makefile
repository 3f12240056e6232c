# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-quick install install-test browser translations extract update compile migrate seed serve lint benchmark benchmark-tools security-scan clean

run: install translations migrate seed serve

test: install-test translations browser
	$(BIN)/pytest $(PYTEST_ARGS)

# The inner loop: all but the browser tests and the slow ones (real servers, large data).
test-quick: install-test
	$(BIN)/pytest -m "not browser and not slow" $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The browser tests drive Debian's Chromium; install it when it is missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: install Debian's chromium package to run the browser tests"; \
	  fi; }

# Translations (app/translations): `extract` collects the strings marked in the code and the
# templates, `update` brings each language's catalogue in line with them, `compile` builds the
# catalogues the site reads; `make run` and `make test` compile what changed. Only hidden folders
# are skipped: by default Babel also skips those starting with "_", such as templates/_macros.
CATALOGUES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)

extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-wrap --sort-by-file --ignore-dirs '.*' \
	  --project Boundaries --copyright-holder Boundaries -o app/translations/messages.pot .

update: extract
	$(BIN)/pybabel update --no-wrap --ignore-obsolete -i app/translations/messages.pot -d app/translations

compile: install
	$(BIN)/pybabel compile --statistics -d app/translations

translations: $(CATALOGUES:.po=.mo)

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

serve:
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check .

# The HTTP benchmarks load the servers with wrk; install it when it is missing and we may.
benchmark-tools:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's wrk for the benchmarks"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "wrk is missing: install Debian's wrk package to run the HTTP benchmarks"; \
	  fi; }

benchmark: install-test benchmark-tools
	$(BIN)/python benchmarks/poll_results.py
	$(BIN)/python -m benchmarks.comments_page
	$(BIN)/python -m benchmarks.memory
	$(BIN)/python -m benchmarks.http_cache
	$(BIN)/python -m benchmarks.isso_thread

# sqlmap, wapiti and schemathesis against a local demo server (about an hour; not run by CI).
security-scan: install
	bash security/scan.sh

clean:
	rm -rf $(VENV) instance/boundaries.db* .pytest_cache
