# The two commands of the README: `make demo` and `make test`. Both install what is missing first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-spa tesseract-ocr-osd \
	fonts-liberation fonts-dejavu-core chromium wbritish-large

.PHONY: demo test test-fast check setup system clean

demo: setup
	$(BIN)/ocrfix run samples/scans out/

test: setup check
	$(BIN)/python -m pytest -q

# For development: the tests without the slow ones (Prefect flow runs, full-page OCR, workers) and the browser
# ones (Playwright and Chromium); `make test`, which CI runs, still runs them all.
test-fast: setup check
	$(BIN)/python -m pytest -q -m "not slow and not browser"

# Lint, format and types (configured in pyproject.toml), before any test: a few seconds.
LINTED := src tests benchmarks flows
check: setup
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

setup: system $(VENV)/.installed

# Tesseract 5 with its language data, SCOWL's English word list for the corrector (and Chromium for the
# review report's browser test) from Debian's packages, installed only when something is missing.
system:
	@if ! command -v tesseract >/dev/null || ! command -v fc-list >/dev/null || ! command -v chromium >/dev/null \
	    || [ ! -f /usr/share/dict/british-english-large ] \
	    || [ "$$(tesseract --list-langs 2>/dev/null | grep -cxE 'eng|fra|spa|osd')" != 4 ] \
	    || ! fc-list | grep -q LiberationSerif; then \
	  echo "installing $(DEBIAN_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEBIAN_PACKAGES); \
	fi

$(VENV)/.installed: pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf out $(VENV)
