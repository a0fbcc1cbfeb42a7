"""Shared test set-up: offline mode, quiet libraries, a fixed seed."""

import os

os.environ.setdefault("COURSE_MODE", "offline")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
