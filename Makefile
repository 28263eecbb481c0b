# EconBrain — the two set-up commands are `make run` and `make test`; both install first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages: Chromium for browser tests and figure export, CJK fonts for Chinese in PNG/PDF,
# poppler for rendering PDF pages in report checks, Pango for WeasyPrint's PDF layout.
APT_PACKAGES := chromium fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: install system-packages run test test-fast bench clean-demo

install: $(STAMP) system-packages

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check --upgrade pip
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

run: install
	$(PY) app.py init-demo --if-missing
	$(PY) app.py serve

test: install
	$(PY) -m pytest

# The quick loop while developing: no browser tests.
test-fast: install
	$(PY) -m pytest -m "not browser and not slow"

bench: install
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-bench.txt
	$(PY) bench/run_storage.py
	$(PY) bench/run_refresh.py
	$(PY) bench/run_dashboard.py

clean-demo:
	rm -f instance/econbrain.sqlite instance/econbrain.sqlite-wal instance/econbrain.sqlite-shm
