"""Peer suite: kr8s's own tests (shipped in its wheel) against kubesim, run by `fleetops sim up`.

Only tests of the kinds the issue allows are deselected (`peer/kr8s-deselected.txt`, each with its
reason); of all other collected tests at least 90% must pass. The pass rate is printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

PEER = Path(__file__).with_name("peer")
REQUIRED_PASS_RATE = 0.90


def _deselected() -> list[str]:
    lines = (PEER / "kr8s-deselected.txt").read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.slow
def test_kr8s_suite_passes_against_kubesim(tmp_path: Path) -> None:
    kr8s = pytest.importorskip("kr8s")
    package = Path(kr8s.__file__).parent
    report = tmp_path / "kr8s.xml"
    args = [
        sys.executable,
        "-m",
        "pytest",
        str(package / "tests"),
        "-c",
        str(PEER / "kr8s-pytest.ini"),
        "--rootdir",
        str(package),
        "-p",
        "kr8s_cluster_plugin",
        "-p",
        "no:cacheprovider",
        "-q",
        "--tb=line",
        "-W",
        "ignore::pytest.PytestUnraisableExceptionWarning",
        f"--junitxml={report}",
    ]
    for node in _deselected():
        args += ["--deselect", node]
    env = {**os.environ, "PYTHONPATH": str(PEER)}
    env.pop("KUBECONFIG", None)
    done = subprocess.run(
        args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    suite = ElementTree.parse(report).getroot()
    node = suite if suite.tag == "testsuite" else suite[0]
    total = int(node.get("tests", 0))
    failed = int(node.get("failures", 0)) + int(node.get("errors", 0))
    skipped = int(node.get("skipped", 0))
    passed = total - failed - skipped
    rate = passed / total if total else 0.0
    print(
        f"kr8s peer suite: {passed} passed of {total} collected and not deselected ({rate:.1%}); "
        f"{failed} failed, {skipped} skipped; {len(_deselected())} deselected"
    )
    assert total > 150, done.stdout[-3000:]
    assert rate >= REQUIRED_PASS_RATE, done.stdout[-5000:]
