"""No test may reach any host but this machine: a guard on name look-ups and connections."""

from __future__ import annotations

import ipaddress
import socket
import traceback

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host) -> bool:
    """True for 127.0.0.0/8, ::1 and the names of this machine (``localhost``)."""
    if host is None or (isinstance(host, str) and host.lower() in LOOPBACK_NAMES):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkGuard:
    """Refuse (``OSError``) and record every name look-up or connection to another host.

    ``install()`` patches ``socket.getaddrinfo`` and ``socket.socket.connect``/``connect_ex``
    (which ``socket.create_connection``, urllib, httpx and SSL sockets all go through) and
    returns the function that undoes it. ``blocked`` lists the hosts refused: a library that
    swallows the error (a background thread, a telemetry call) is still caught by a test that
    checks it is empty (``stacks`` says where each attempt came from).
    """

    def __init__(self):
        self.blocked: list[str] = []
        self.stacks: list[str] = []

    def _refuse(self, host) -> None:
        self.blocked.append(str(host))
        self.stacks.append("".join(traceback.format_stack(limit=25)))
        raise OSError(f"the test network guard refused a connection to {host!r}: "
                      "tests may only reach 127.0.0.1")

    def install(self):
        real_getaddrinfo = socket.getaddrinfo
        real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
        guard = self

        def getaddrinfo(host, *args, **kwargs):
            if not is_loopback(host.decode() if isinstance(host, bytes) else host):
                guard._refuse(host)
            return real_getaddrinfo(host, *args, **kwargs)

        def checked(real):
            def connect(sock, address):
                if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(
                        address[0]):
                    guard._refuse(address[0])
                return real(sock, address)
            return connect

        socket.getaddrinfo = getaddrinfo
        socket.socket.connect = checked(real_connect)
        socket.socket.connect_ex = checked(real_connect_ex)

        def uninstall() -> None:
            socket.getaddrinfo = real_getaddrinfo
            socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex

        return uninstall
