"""``fleetops render DIR``: print what ``kubectl kustomize DIR`` prints, rendered in-process.

Start-up stays light (the renderer and PyYAML only): CI scripts run this in loops. The usual
command lines are parsed by hand; argparse is loaded only for ``--help`` and malformed ones.
Exit status 0 on success; 1 with ``Error: <kustomize-like message>`` on stderr when the build
fails; deprecation warnings go to stderr as kustomize prints them.

Remote bases (Git URLs in ``resources:``) are fetched, as ``kubectl kustomize`` does by default,
into bare mirrors under ``$XDG_CACHE_HOME/fleetops/kustomize-remote`` (``~/.cache/…``);
``--no-remote`` refuses them instead. (The controller keeps them off unless its configuration
enables them.) libgit2 is loaded only when a build meets a remote base.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

__all__ = ["main"]

REMOTE_TIMEOUT = 27.0
"""Seconds libgit2 waits to connect to (and then on) a remote base's server: kustomize's default."""
_RESTRICTORS = ("LoadRestrictionsRootOnly", "LoadRestrictionsNone")
_REORDERS = ("legacy", "none")


class _Args:
    def __init__(self) -> None:
        self.directory = "."
        self.output: str | None = None
        self.load_restrictor = "LoadRestrictionsRootOnly"
        self.reorder: str | None = None
        self.enable_helm = False
        self.no_remote = False


class _NothingFetched:
    """The first build's resolver: it has no tree, so the build lists the remote bases it needs."""

    def tree(self, url: str, ref: str) -> None:
        return None


def _parser() -> argparse.ArgumentParser:
    import argparse  # noqa: PLC0415 - only for --help and malformed command lines

    parser = argparse.ArgumentParser(
        prog="fleetops render",
        description="Build a kustomization directory and print the manifests (as `kubectl kustomize`).",
    )
    parser.add_argument("directory", nargs="?", default=".", help="the kustomization directory (default: .)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the YAML to FILE instead of stdout")
    parser.add_argument(
        "--load-restrictor",
        choices=list(_RESTRICTORS),
        default="LoadRestrictionsRootOnly",
        help="whether files outside the kustomization root may be read",
    )
    parser.add_argument(
        "--reorder",
        choices=list(_REORDERS),
        default=None,
        help="legacy: kustomize's kind order; none: input order (default: legacy unless sortOptions)",
    )
    parser.add_argument("--enable-helm", action="store_true", help="allow helmCharts (not available yet)")
    parser.add_argument(
        "--no-remote",
        action="store_true",
        help="refuse remote bases (Git URLs in resources) instead of fetching them as kubectl does",
    )
    return parser


def _quick_parse(argv: list[str]) -> _Args | None:
    """The arguments of a well-formed command line, or None to let argparse handle it."""
    args = _Args()
    positional: list[str] = []
    values = {
        "-o": "output",
        "--output": "output",
        "--load-restrictor": "load_restrictor",
        "--reorder": "reorder",
    }
    choices = {"load_restrictor": _RESTRICTORS, "reorder": _REORDERS}
    i = 0
    while i < len(argv):
        word = argv[i]
        i += 1
        if word in ("--enable-helm", "--no-remote"):
            setattr(args, word[2:].replace("-", "_"), True)
            continue
        if not word.startswith("-") or word == "-":
            positional.append(word)
            continue
        name, eq, value = word.partition("=")
        if name not in values or (name == "-o" and eq):
            return None
        if not eq:
            if i >= len(argv) or argv[i].startswith("-"):
                return None
            value = argv[i]
            i += 1
        attribute = values[name]
        if attribute in choices and value not in choices[attribute]:
            return None
        setattr(args, attribute, value)
    if len(positional) > 1:
        return None
    if positional:
        args.directory = positional[0]
    return args


def _cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "fleetops", "kustomize-remote")


def main(argv: list[str]) -> int:
    args = _quick_parse(argv) or _parser().parse_args(argv)
    from fleetops.adapters.kustomize_disk import DiskFileSystem  # noqa: PLC0415
    from fleetops.core.kustomize import (  # noqa: PLC0415
        BuildOptions,
        BuildResult,
        KustomizeError,
        RemoteNeededError,
        build,
    )

    options = BuildOptions(
        reorder=args.reorder or "unspecified",
        load_restrictor=args.load_restrictor,
        enable_helm=args.enable_helm,
        remote=None if args.no_remote else _NothingFetched(),
    )
    fs, directory = DiskFileSystem("/"), os.path.abspath(args.directory)
    try:
        result: BuildResult
        try:
            result = build(fs, directory, options)
        except RemoteNeededError:
            from fleetops.adapters.kustomize_remote import (  # noqa: PLC0415 - libgit2 only when needed
                GitRemoteBases,
                build_with_remote_bases,
            )

            bases = GitRemoteBases(_cache_dir(), network_timeout=REMOTE_TIMEOUT)
            result = build_with_remote_bases(fs, directory, options, bases)
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
