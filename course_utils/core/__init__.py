"""The layer every lesson stands on; it imports no lesson.

- :mod:`.runtime`: one context decides device, precision, threads, seed and mode.
- :mod:`.measurement`: time (round-robin, with intervals on ratios), memory in fresh
  processes, parameter counts and sizes in memory and on disk.
- :mod:`.inference` and :mod:`.sentiment`: one way to run a model over texts (length-sorted
  batches), and the sentiment analyzer built on it.
- :mod:`.evaluation`: the label table, accuracy with its interval, paired tests, and the one
  scorer (also the ``Trainer``'s ``compute_metrics``).
- :mod:`.artifacts`: one cache for what the course builds (checkpoints, ONNX files, the
  teacher's outputs), keyed by recipe, seed, device, precision and library versions.
"""
