"""A network guard for child processes: a `sitecustomize` module, put first on their
PYTHONPATH, that lets sockets reach 127.0.0.1 only. Every other connection attempt and
every name lookup is refused and written to a log; each process that loaded the guard
writes its pid to a second file, so a test can tell the guard was on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

GUARD = """
import os, socket

_LOG = os.environ["CXA_TEST_NETLOG"]
with open(os.environ["CXA_TEST_GUARDED"], "a") as _guarded:
    _guarded.write(f"{os.getpid()}\\n")
_LOOPBACK = ("127.", "::1", "localhost")
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def _note(what):
    with open(_LOG, "a") as log:
        log.write(what + "\\n")


def _allowed(address):
    host = str(address[0]) if isinstance(address, tuple) else str(address)
    return host.startswith(_LOOPBACK)


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _allowed(address):
        _note(f"connect {address}")
        raise OSError("outbound connections are blocked")
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _allowed(address):
        _note(f"connect_ex {address}")
        return 111
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host is not None and not str(host).startswith(_LOOPBACK):
        _note(f"lookup {host}")
        raise socket.gaierror("name lookups are blocked")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo
"""


@dataclass(frozen=True)
class NetGuard:
    """Where the guard lives and what it writes."""

    folder: Path
    log: Path
    loaded: Path

    @classmethod
    def install(cls, tmp_path: Path) -> NetGuard:
        folder = tmp_path / "guard"
        folder.mkdir(exist_ok=True)
        (folder / "sitecustomize.py").write_text(GUARD)
        return cls(folder, tmp_path / "net.log", tmp_path / "guarded.pids")

    def env(self) -> dict[str, str]:
        """What a child's environment needs for the guard to load and report."""
        return {
            "PYTHONPATH": str(self.folder),
            "CXA_TEST_NETLOG": str(self.log),
            "CXA_TEST_GUARDED": str(self.loaded),
        }

    def attempts(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def processes(self) -> int:
        """How many processes loaded the guard."""
        return len(self.loaded.read_text().split()) if self.loaded.exists() else 0
