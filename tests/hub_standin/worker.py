"""A separate Python process with the online environment, to run test functions in.

``huggingface_hub``, ``transformers`` and ``datasets`` read ``HF_ENDPOINT``, ``HF_HOME`` and
the offline switches once, when they are imported; the pytest process imported them long
before. So the online tests run their functions in a fresh process (``spawn``) whose
environment is set before anything imports them, and which stays up for the whole module
(it imports torch and transformers once). Exceptions come back with the child's traceback.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

from .guard import NetworkGuard

_GUARD = NetworkGuard()

LIBRARIES = ("huggingface_hub", "transformers", "datasets")


def _initialize(environment: dict[str, str], unset: tuple[str, ...]) -> None:
    """Set the environment before any Hub library is imported, then guard the network.

    The stand-in serves the Hub, not its sibling services, which ``datasets`` also calls when
    online: its download counter (an S3 bucket; ``HF_UPDATE_DOWNLOAD_COUNTS=0`` in the
    environment switches it off) and the dataset viewer (``datasets-server.<endpoint host>``,
    switched off here; ``datasets`` falls back to the repository's own files).
    """
    early = [name for name in LIBRARIES if name in sys.modules]
    if early:
        raise RuntimeError(f"{early} imported before the online environment was set")
    for name in unset:
        os.environ.pop(name, None)
    os.environ.update(environment)
    _GUARD.install()
    import datasets.config

    datasets.config.USE_PARQUET_EXPORT = False


def blocked_hosts() -> list[tuple[str, str]]:
    """Hosts the child's network guard refused so far, each with where it was asked from."""
    return list(zip(_GUARD.blocked, _GUARD.stacks))


class OnlineProcess:
    """One child process with ``environment`` set and the names in ``unset`` removed."""

    def __init__(self, environment: dict[str, str], unset: tuple[str, ...] = ()):
        self._pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"),
            initializer=_initialize, initargs=(environment, unset))

    def run(self, function, *args, timeout: float = 120, **kwargs):
        """``function(*args, **kwargs)`` in the child (a module-level function); its value."""
        return self._pool.submit(function, *args, **kwargs).result(timeout=timeout)

    def blocked_hosts(self) -> list[tuple[str, str]]:
        return self.run(blocked_hosts)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
