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
    # the lessons run in a notebook kernel, a main process; transformers' seeded MLM collator
    # (lesson 02's masks) refuses to draw in a process that is neither that nor a DataLoader
    # worker, and a pool's worker is named otherwise
    multiprocessing.current_process().name = "MainProcess"
    import datasets.config

    datasets.config.USE_PARQUET_EXPORT = False


def blocked_hosts() -> list[tuple[str, str]]:
    """Hosts the child's network guard refused since the last call, each with where it was
    asked from (the list is cleared, so that a refusal fails only the test that caused it)."""
    refused = list(zip(_GUARD.blocked, _GUARD.stacks))
    _GUARD.blocked.clear()
    _GUARD.stacks.clear()
    return refused


class OnlineProcess:
    """One child process with ``environment`` set and the names in ``unset`` removed."""

    def __init__(self, environment: dict[str, str], unset: tuple[str, ...] = ()):
        self._start = (environment, unset)
        self._pool = self._new_pool()

    def _new_pool(self):
        context = multiprocessing.get_context("spawn")
        return context.Pool(1, initializer=_initialize, initargs=self._start)

    def run(self, function, *args, timeout: float = 120, **kwargs):
        """``function(*args, **kwargs)`` in the child (a module-level function); its value.
        Past ``timeout`` seconds the child is killed (a fresh one serves the next call) and
        ``TimeoutError`` raised: a stuck download never hangs the test run."""
        job = self._pool.apply_async(function, args, kwargs)
        try:
            return job.get(timeout)
        except multiprocessing.TimeoutError:
            self._pool.terminate()
            self._pool = self._new_pool()
            raise TimeoutError(f"{function.__name__} took over {timeout:.0f} s in the online "
                               "child") from None

    def blocked_hosts(self) -> list[tuple[str, str]]:
        return self.run(blocked_hosts)

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()
