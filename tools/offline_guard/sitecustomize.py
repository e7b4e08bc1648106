"""The offline guard: no connection beyond this machine from any Python process of the build.

The Makefile puts this folder on PYTHONPATH for `make doctest` and `make strict` where the kernel
refuses a network namespace (`unshare -rn`): in a Docker job container (the default seccomp
profile denies it) and on runners whose AppArmor restricts user namespaces. Python imports
`sitecustomize` at start-up, in the build and in every Python process it starts, so:

- a socket that connects or sends to an address other than loopback fails as it would without
  a network, with OSError(ENETUNREACH), naming the address and this file;
- looking up a host name other than `localhost` fails as DNS would, with socket.gaierror.

Loopback stays open: a doctest may run a local server. The guard covers Python, which is all
the build runs (git, which sphinx-last-updated-by-git calls, reads only the local history).
Where `unshare -rn` works the Makefile uses the namespace instead, which covers every program.
"""

import errno
import ipaddress
import socket

ORIGIN = __file__
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
_sendto, _sendmsg = socket.socket.sendto, socket.socket.sendmsg
_getaddrinfo, _gethostbyname, _gethostbyname_ex = socket.getaddrinfo, socket.gethostbyname, socket.gethostbyname_ex


class OfflineError(OSError):
    """What a connection beyond this machine raises under the guard (an OSError, as without a network)."""


def is_local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in ("localhost", ""):  # "" is INADDR_ANY: bind/connect on this machine
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a host name: only `localhost` is known without asking DNS


def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple) and not is_local(address[0]):
        raise OfflineError(errno.ENETUNREACH, f"offline guard: no connection to {address[0]}:{address[1]}; "
                                              f"the build and its doctests must not use the network ({ORIGIN})")


def connect(self, address):
    _check(self, address)
    return _connect(self, address)


def connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)


def sendto(self, data, *args):
    _check(self, args[-1])
    return _sendto(self, data, *args)


def sendmsg(self, buffers, ancdata=(), flags=0, address=None):
    if address is not None:
        _check(self, address)
        return _sendmsg(self, buffers, ancdata, flags, address)
    return _sendmsg(self, buffers, ancdata, flags)


def is_address(host) -> bool:
    try:
        ipaddress.ip_address((host.decode() if isinstance(host, bytes) else host).split("%", 1)[0])
    except ValueError:
        return False
    return True


def _resolve_check(host):
    """A name lookup asks DNS; an address literal or `localhost` does not."""
    if host is not None and not is_local(host) and not is_address(host):
        raise socket.gaierror(socket.EAI_AGAIN, f"offline guard: no DNS lookup of {host!r}; "
                                                f"the build and its doctests must not use the network ({ORIGIN})")


def getaddrinfo(host, *args, **kwargs):
    _resolve_check(host)
    return _getaddrinfo(host, *args, **kwargs)


def gethostbyname(host):
    _resolve_check(host)
    return _gethostbyname(host)


def gethostbyname_ex(host):
    _resolve_check(host)
    return _gethostbyname_ex(host)


socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
socket.socket.sendto, socket.socket.sendmsg = sendto, sendmsg
socket.getaddrinfo, socket.gethostbyname, socket.gethostbyname_ex = getaddrinfo, gethostbyname, gethostbyname_ex
