"""`fleetops sim up`: foreground clusters, a kubeconfig with one context per cluster, SIGINT stops."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml


def test_sim_up_writes_a_kubeconfig_and_stops_on_sigint(kubectl: Path, tmp_path: Path) -> None:
    fleetops = Path(sys.executable).parent / "fleetops"
    config = tmp_path / "kubeconfig"
    server = subprocess.Popen(
        [
            str(fleetops),
            "sim",
            "up",
            "--clusters",
            "hub,prod-us-east-1",
            "--data-dir",
            str(tmp_path / "data"),
            "--kubeconfig",
            str(config),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = []
        while not any(line.startswith("serving until") for line in lines):
            line = server.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        document = yaml.safe_load(config.read_text())
        assert [c["name"] for c in document["contexts"]] == ["hub", "prod-us-east-1"]
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "KUBECONFIG": str(config)}
        for context in ("hub", "prod-us-east-1"):
            done = subprocess.run(
                [str(kubectl), "--context", context, "get", "namespaces", "-o", "name"],
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=60,
            )
            assert done.returncode == 0, done.stderr
            assert "namespace/kube-system" in done.stdout.split()
        control = next(
            re.search(r"http://\S+", line) for line in lines if line.startswith("control endpoint")
        )
        assert control is not None
        with urllib.request.urlopen(f"{control.group(0)}/clusters", timeout=10) as response:
            clusters = json.loads(response.read())
        assert [c["name"] for c in clusters] == ["hub", "prod-us-east-1"]
    finally:
        server.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 30
        while server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if server.poll() is None:
            server.kill()
        server.communicate()
    assert server.returncode == 0
