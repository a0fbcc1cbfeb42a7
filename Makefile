# Two commands do everything (see README.md):
#   make course   set up the environment and open the course in JupyterLab
#   make test     set up the environment and run the unit tests and every notebook (nbval)
#
# CPU-only Linux machine? Add TORCH_INDEX=https://download.pytorch.org/whl/cpu to either
# command to get the ~200 MB CPU build of torch instead of the multi-GB CUDA build.

PYTHON      ?= python3
VENV        ?= .venv
TORCH       ?= torch==2.13.0
TORCH_INDEX ?=
BIN         := $(VENV)/bin
STAMP       := $(VENV)/.installed

.PHONY: course test install lint badges clean

course: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/00_welcome.ipynb

test: lint
	COURSE_MODE=offline $(BIN)/python -m pytest

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install "$(TORCH)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install -c constraints.txt -e ".[offline,dev]"
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check course_utils tests tools notebooks

badges: $(STAMP)
	$(BIN)/python tools/colab_badges.py

clean:
	rm -rf $(VENV)
