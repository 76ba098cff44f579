"""``fleetops render DIR``: print what ``kubectl kustomize DIR`` prints, rendered in-process.

Start-up stays light (argparse, the renderer and PyYAML only): CI scripts run this in loops.
Exit status 0 on success; 1 with ``Error: <kustomize-like message>`` on stderr when the build
fails; deprecation warnings go to stderr as kustomize prints them.
"""

from __future__ import annotations

import argparse
import os
import sys

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fleetops render",
        description="Build a kustomization directory and print the manifests (as `kubectl kustomize`).",
    )
    parser.add_argument("directory", nargs="?", default=".", help="the kustomization directory (default: .)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the YAML to FILE instead of stdout")
    parser.add_argument(
        "--load-restrictor",
        choices=["LoadRestrictionsRootOnly", "LoadRestrictionsNone"],
        default="LoadRestrictionsRootOnly",
        help="whether files outside the kustomization root may be read",
    )
    parser.add_argument(
        "--reorder",
        choices=["legacy", "none"],
        default=None,
        help="legacy: kustomize's kind order; none: input order (default: legacy unless sortOptions)",
    )
    parser.add_argument("--enable-helm", action="store_true", help="allow helmCharts (not available yet)")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from fleetops.core.kustomize import BuildOptions, DiskFileSystem, KustomizeError, build  # noqa: PLC0415

    options = BuildOptions(
        reorder=args.reorder or "unspecified",
        load_restrictor=args.load_restrictor,
        enable_helm=args.enable_helm,
    )
    try:
        result = build(DiskFileSystem("/"), os.path.abspath(args.directory), options)
        text = result.yaml()
    except KustomizeError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    return 0
