"""A local Hugging Face Hub stand-in for the online tests (tests/test_online.py).

:class:`HubStandIn` serves repositories laid out like the Hub on 127.0.0.1 and records every
request; :func:`repos.build_repos` builds tiny ones under the real names; :class:`NetworkGuard`
makes any connection to another host fail; :class:`OnlineProcess` runs test functions in a
process whose environment points ``HF_ENDPOINT`` at the stand-in.
"""

from .guard import NetworkGuard, is_loopback
from .server import HubStandIn, Repo, Request
from .worker import OnlineProcess

__all__ = ["HubStandIn", "NetworkGuard", "OnlineProcess", "Repo", "Request", "is_loopback"]
