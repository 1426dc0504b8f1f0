"""Shared fixtures. Each test module keeps its own small fixtures; only what several share is here."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


# --- network guard (publish helper owns this section) ---
# Every test -- and every Python subprocess a test starts -- may open sockets only to 127.0.0.1, ::1
# or a Unix socket. The guard is one small module written at start-up into a temporary folder that
# is put first on PYTHONPATH as `sitecustomize`, so subprocesses install it before anything else, and
# imported here for this process. A refused connection raises at once (nothing hangs on a missing
# network) and is also recorded in a log, so a test fails even if a library swallows the error
# (datasets, for one, falls back to its cache on any connection error).
import atexit  # noqa: E402
import importlib.util  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

NETGUARD_SOURCE = '''\
"""newsstance test network guard: connections only to 127.0.0.1, ::1 or Unix sockets."""
import ipaddress
import os
import socket

ALLOWED = frozenset({"127.0.0.1", "::1"})
LOCAL_NAMES = frozenset({None, "", "localhost", "127.0.0.1", "::1", socket.gethostname()})


def _refuse(what):
    log = os.environ.get("NEWSSTANCE_NETGUARD_LOG")  # read now: a nested test session sets its own
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"pid {os.getpid()}: {what}\\n")
    raise ConnectionRefusedError(f"network guard: {what} refused; tests may only reach 127.0.0.1")


def _check(sock, address):
    if sock.family == getattr(socket, "AF_UNIX", object()):
        return
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, bytes):
        host = host.decode()
    if str(host).split("%")[0] not in ALLOWED:
        _refuse(f"connection to {address!r}")


def _is_ip(name):
    try:
        ipaddress.ip_address(str(name).split("%")[0])
    except ValueError:
        return False
    return True


def install():
    cls = socket.socket
    if getattr(cls.connect, "_netguard", False):
        return
    connect, connect_ex, sendto, getaddrinfo = cls.connect, cls.connect_ex, cls.sendto, socket.getaddrinfo

    def guarded_connect(self, address):
        _check(self, address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        _check(self, address)
        return connect_ex(self, address)

    def guarded_sendto(self, data, *args):
        _check(self, args[-1])
        return sendto(self, data, *args)

    def guarded_getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name not in LOCAL_NAMES and not _is_ip(name):  # an address literal is checked at connect
            _refuse(f"name lookup of {name!r}")
        return getaddrinfo(host, *args, **kwargs)

    guarded_connect._netguard = True
    cls.connect, cls.connect_ex, cls.sendto = guarded_connect, guarded_connect_ex, guarded_sendto
    socket.getaddrinfo = guarded_getaddrinfo


install()
'''

NETGUARD_DIR = Path(tempfile.mkdtemp(prefix="newsstance-netguard-"))
NETGUARD_LOG = NETGUARD_DIR / "violations.log"
(NETGUARD_DIR / "sitecustomize.py").write_text(NETGUARD_SOURCE, encoding="utf-8")
NETGUARD_LOG.touch()
atexit.register(shutil.rmtree, NETGUARD_DIR, True)
os.environ["NEWSSTANCE_NETGUARD_LOG"] = str(NETGUARD_LOG)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NETGUARD_DIR), os.environ.get("PYTHONPATH")]))
_spec = importlib.util.spec_from_file_location("newsstance_netguard", NETGUARD_DIR / "sitecustomize.py")
_spec.loader.exec_module(importlib.util.module_from_spec(_spec))


def _refused_since(offset: int) -> str:
    with open(NETGUARD_LOG, encoding="utf-8") as handle:
        handle.seek(offset)
        return handle.read().strip()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    item.netguard_offset = NETGUARD_LOG.stat().st_size  # fixtures' connections count for the test
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test if it, or a subprocess it started, tried to reach anything but 127.0.0.1."""
    result = yield
    refused = _refused_since(getattr(item, "netguard_offset", 0))
    if refused:
        pytest.fail(f"network guard: this test tried to reach the network:\n{refused}", pytrace=False)
    return result
