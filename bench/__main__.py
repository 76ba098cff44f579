"""Run the benchmarks: all of them in sorted order, or the ones named on the command line."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import time
import traceback
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def discover() -> list[str]:
    """The benchmark module names: ``bench/*.py`` not starting with ``_``, sorted."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules([str(PACKAGE_DIR)])
        if not info.name.startswith("_") and not info.ispkg
    )


def run(name: str) -> bool:
    """Run one benchmark module's ``main()``; True when it finished without raising."""
    print(f"\n=== bench.{name} ===", flush=True)
    started = time.perf_counter()
    try:
        module = importlib.import_module(f"bench.{name}")
        entry = getattr(module, "main", None)
        if not callable(entry):
            raise TypeError(f"bench.{name} has no main() function")
        entry()
    except Exception:
        traceback.print_exc(file=sys.stdout)
        print(f"--- bench.{name}: FAILED after {time.perf_counter() - started:.1f}s", flush=True)
        return False
    print(f"--- bench.{name}: done in {time.perf_counter() - started:.1f}s", flush=True)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller sizes where a benchmark offers them (sets FLEETOPS_BENCH_QUICK=1; fleet_appsets)",
    )
    options = parser.parse_args(argv)
    if options.quick:
        os.environ["FLEETOPS_BENCH_QUICK"] = "1"
    available = discover()
    if options.list:
        print("\n".join(available))
        return 0
    unknown = [name for name in options.names if name not in available]
    if unknown:
        parser.error(
            f"unknown benchmark(s): {', '.join(unknown)} (available: {', '.join(available) or 'none'})"
        )
    selected = options.names or available
    if not selected:
        print("no benchmarks found in bench/")
        return 0
    failed = [name for name in selected if not run(name)]
    print(f"\n=== summary: {len(selected) - len(failed)} of {len(selected)} benchmark(s) succeeded ===")
    for name in failed:
        print(f"FAILED: bench.{name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
