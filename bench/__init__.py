"""fleetops benchmarks: ``python -m bench [NAME ...]`` (``make bench``); see bench/README.md.

Every module ``bench/<name>.py`` whose name does not start with ``_`` is a benchmark: it
exposes ``main() -> None`` and prints its own report. Shared helpers live in ``_``-modules
(``bench._timing``).
"""
