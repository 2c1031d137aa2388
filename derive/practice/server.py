"""``derive practice``: the practice app served by uvicorn on the loopback interface only."""

from __future__ import annotations

import socket
import sys
from typing import TextIO

import uvicorn

from derive.exceptions import DeriveError
from derive.practice.app import Settings, create_app

#: the only address served: the machine itself
HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def bind(port: int) -> socket.socket:
    """A listening socket on the loopback address (port 0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise DeriveError(f"cannot listen on {HOST}:{port}: {error.strerror}") from None
    sock.listen(128)
    return sock


def serve(settings: Settings, port: int, out: TextIO = sys.stdout) -> None:
    """Serve until interrupted; prints the address to open first."""
    sock = bind(port)
    first = settings.only[0] if settings.only else ""
    url = f"http://{HOST}:{sock.getsockname()[1]}/{first}"
    config = uvicorn.Config(
        create_app(settings),
        log_level="warning",
        # a burst of connections beyond this is answered 503 by uvicorn before it reaches the app
        limit_concurrency=256,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=3,
    )
    _Server(config, f"derive practice: open {url} (Ctrl-C stops)", out).run(sockets=[sock])


class _Server(uvicorn.Server):
    """uvicorn's server, saying where it listens once it is ready (its workers started)."""

    def __init__(self, config: uvicorn.Config, ready: str, out: TextIO) -> None:
        super().__init__(config)
        self.ready, self.out = ready, out

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if not self.should_exit:
            print(self.ready, file=self.out, flush=True)
