# Two commands do everything (see README.md):
#   make course   set up the environment and open the course in JupyterLab
#   make test     set up the environment and run the unit tests and every notebook (nbval)
#   make test-unit    the fast unit tier alone (no slow test, no notebook): under 2 minutes
#   make test-laptop  the notebooks again as a laptop without AVX-512/AMX/bf16 would run them
#   make report   every lesson's claim checks on one page (claims.html)
#   make slides   the instructor decks (slides/); make slides-pdf adds a PDF handout of each
#
# CPU-only Linux machine? Add TORCH_INDEX=https://download.pytorch.org/whl/cpu to either
# command to get the ~200 MB CPU build of torch instead of the multi-GB CUDA build.

PYTHON      ?= python3
VENV        ?= .venv
TORCH       ?= torch==2.13.0
TORCH_INDEX ?=
BIN         := $(VENV)/bin
STAMP       := $(VENV)/.installed

# (b) of tests/README.md: a laptop without AVX-512, AMX or bf16, one thread, no mixed
# precision, a fresh checkpoint cache, on every lesson. One thread each, so two chains of
# lessons run side by side (the checkpoint cache makes one wait for a shared build). Lesson 03
# goes first, as a student who opens it first: it builds the teacher and the student itself
# (the longest build), then 01 and 05, which train nothing; 00 and 04 find the teacher built
# or wait for it, and 06, last, finds every student built.
LAPTOP_ENV  := ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2 \
               COURSE_THREADS=1 COURSE_MIXED_PRECISION=0 COURSE_MODE=offline
LAPTOP_DIR  ?= $(VENV)/laptop-run
LAPTOP_TEST := $(LAPTOP_ENV) COURSE_CACHE_DIR=$(LAPTOP_DIR) $(BIN)/python -m pytest -q
LAPTOP_A    := notebooks/03_distillation.ipynb notebooks/01_architecture.ipynb \
               notebooks/05_tokenization.ipynb
LAPTOP_B    := notebooks/02_roberta_pretraining.ipynb notebooks/00_welcome.ipynb \
               notebooks/04_albert_parameter_reduction.ipynb notebooks/06_application.ipynb

.PHONY: course test test-unit test-laptop report install lint badges slides slides-pdf vendor-slides clean

# The course's JupyterLab: no first-run news prompt, no update check (tools/jupyterlab/).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
LAB_SERVER   := $(VENV)/etc/jupyter/jupyter_server_config.d/bert-descendants-course.json
LAB_CONFIG   := $(LAB_SETTINGS) $(LAB_SERVER)

course: $(LAB_CONFIG)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/00_welcome.ipynb

# Two passes: the unit tests two at a time (pytest-xdist), then one at a time what runs a whole
# lesson or times real compute (marked serial: every notebook cell, the online lesson), which
# builds the course's checkpoints. The slowest are listed at the end of each (--durations);
# none may hang (pytest-timeout, [tool.pytest.ini_options] in pyproject.toml). Lesson 00 runs
# online here (test_lesson_00_runs_online_under_nbval: every cell, every claim) and offline in
# test-laptop, so not a third time offline.
test: lint $(LAB_CONFIG)
	COURSE_MODE=offline $(BIN)/python -m pytest -n 2 -m "not serial" --durations=15
	COURSE_MODE=offline $(BIN)/python -m pytest -m serial --durations=25 \
	    --deselect notebooks/00_welcome.ipynb
	$(BIN)/python -m course_utils.report --table

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests -n 2 -m "not slow and not serial" --durations=10
	$(BIN)/python -m pytest tests -m "serial and not slow" --durations=5

test-laptop: $(STAMP)
	rm -rf $(LAPTOP_DIR)
	$(LAPTOP_TEST) $(LAPTOP_A) > $(LAPTOP_DIR).a.log 2>&1 & first=$$!; \
	$(LAPTOP_TEST) $(LAPTOP_B) > $(LAPTOP_DIR).b.log 2>&1; second=$$?; \
	wait $$first; first=$$?; cat $(LAPTOP_DIR).a.log $(LAPTOP_DIR).b.log; \
	test $$first = 0 && test $$second = 0
	COURSE_CACHE_DIR=$(LAPTOP_DIR) $(BIN)/python -m course_utils.report --table

report: $(STAMP)
	$(BIN)/python -m course_utils.report

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install "$(TORCH)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install -c constraints.txt -e ".[offline,deploy,dev,lab]"
	touch $@

$(LAB_SETTINGS): tools/jupyterlab/overrides.json $(STAMP)
	install -D -m 644 $< $@

$(LAB_SERVER): tools/jupyterlab/jupyter_server_config.json $(STAMP)
	install -D -m 644 $< $@

lint: $(STAMP)
	$(BIN)/ruff check conftest.py course_utils tests tools notebooks

badges: $(STAMP)
	$(BIN)/python tools/colab_badges.py

# One reveal.js deck per lesson, slides/NN_name.slides.html, from the committed notebooks.
slides: $(STAMP)
	$(BIN)/python tools/slides.py

# The same decks and a PDF handout of each, slides/NN_name.slides.pdf (one page per slide),
# printed offline by the system Chromium (apt-get install chromium).
slides-pdf: $(STAMP)
	$(BIN)/python tools/slides.py --pdf

# Refresh slides/vendor from npm at the versions pinned in slides/vendor/package-lock.json
# (only when changing a pin: the copy is committed so that decks build and open offline).
REVEAL := slides/vendor/node_modules/reveal.js
vendor-slides:
	cd slides/vendor && npm ci --no-audit --no-fund
	rm -rf slides/vendor/reveal.js && mkdir -p slides/vendor/reveal.js/dist/theme slides/vendor/reveal.js/plugin
	cp $(REVEAL)/LICENSE $(REVEAL)/package.json slides/vendor/reveal.js/
	cp $(REVEAL)/dist/reveal.js $(REVEAL)/dist/reveal.css slides/vendor/reveal.js/dist/
	cp -r $(REVEAL)/dist/theme/white.css $(REVEAL)/dist/theme/fonts slides/vendor/reveal.js/dist/theme/
	rm -rf slides/vendor/reveal.js/dist/theme/fonts/league-gothic
	cp -r $(REVEAL)/plugin/notes slides/vendor/reveal.js/plugin/
	cp slides/vendor/node_modules/requirejs/require.js slides/vendor/
	rm -rf slides/vendor/node_modules

clean:
	rm -rf $(VENV)
