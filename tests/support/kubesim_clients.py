"""Real clients for tests against kubesim: the pinned kubectl and plain HTTPS requests.

Test modules import these from here (`from tests.support.kubesim_clients import Kubectl`):
`from conftest import …` is ambiguous where several directories have a conftest.py.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fleetops.kubesim.cluster import SimCluster


@dataclass
class Kubectl:
    """Runs the pinned kubectl against the simulated cluster; `run` returns the finished process."""

    path: Path
    env: dict[str, str]
    workdir: Path

    def run(
        self, *args: str, stdin: str | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.path), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.workdir,
            timeout=timeout,
            check=False,
        )

    def ok(self, *args: str, stdin: str | None = None) -> str:
        done = self.run(*args, stdin=stdin)
        assert done.returncode == 0, f"kubectl {' '.join(args)} failed ({done.returncode}): {done.stderr}"
        return done.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "-o", "json"))


@dataclass
class RawApi:
    """Plain HTTPS requests, for bodies no client library would send."""

    cluster: SimCluster

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "application/json",
        token: str | None = "",
    ) -> tuple[int, Any]:
        context = ssl.create_default_context(cadata=self.cluster.ca_pem.decode())
        headers = {"Content-Type": content_type}
        bearer = self.cluster.token if token == "" else token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        request = urllib.request.Request(self.cluster.url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, context=context, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read() or b"null")
