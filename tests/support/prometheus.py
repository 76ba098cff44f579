"""A real Prometheus (Debian's `prometheus`, 2.42) for tests, started as a subprocess.

    from tests.support.prometheus import Prometheus, prometheus_binary

    with Prometheus(prometheus_binary(), tmp_path / "prom", config_yaml) as prom:
        prom.url      # http://127.0.0.1:PORT (the HTTP API is under /api/v1)

It listens on 127.0.0.1 on a free port with its own TSDB directory; `start` waits until
`/-/ready` answers 200, `stop` terminates the process by its PID and waits for it to exit. The
server's output is kept in `prometheus.log` (`log_text()`) for failure messages.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import IO

import pytest
from tests.support.shared import IN_CI

READY_DEADLINE = 60.0


def prometheus_binary() -> str:
    """Debian's `prometheus` on PATH; skip with a reason when absent, fail under CI."""
    found = shutil.which("prometheus")
    if found is None:
        message = (
            "the `prometheus` binary is not on PATH "
            "(`apt-get install -y --no-install-recommends prometheus`; `make test` installs it)"
        )
        if IN_CI:
            pytest.fail(message + " (CI=true: a missing prometheus is a failure)")
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Prometheus:
    def __init__(self, binary: str, workdir: Path, config_yaml: str) -> None:
        self.binary = binary
        self.workdir = workdir
        self.config_yaml = config_yaml
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "prometheus.log"

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> Prometheus:
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "prometheus.yml"
        config.write_text(self.config_yaml)
        # A free port can be taken between probing and binding: try a few.
        for _attempt in range(3):
            self.port = free_port()
            self._log = self.log_path.open("ab")
            self.process = subprocess.Popen(
                [
                    self.binary,
                    f"--config.file={config}",
                    f"--storage.tsdb.path={self.workdir / 'data'}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                ],
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
            )
            if self._wait_ready():
                return self
            self.stop()
        raise AssertionError(f"prometheus did not become ready:\n{self.log_text()[-4000:]}")

    def _wait_ready(self) -> bool:
        assert self.process is not None
        end = time.monotonic() + READY_DEADLINE
        while time.monotonic() < end:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.url}/-/ready", timeout=2) as response:
                    if response.status == 200:
                        return True
            except urllib.error.HTTPError as error:  # 503 while starting
                error.close()
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Prometheus:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
