"""`source.directory`: plain-manifest options (`recurse`, `include`, `exclude` globs)."""

from __future__ import annotations

from dataclasses import dataclass

from fleetops.core.app.fields import mapping, string
from fleetops.core.app.source import Source


@dataclass(frozen=True, slots=True)
class DirectoryOptions:
    recurse: bool = False
    include: str = ""  # a glob, or "{a.yaml,b.yaml}"; "" = every manifest file
    exclude: str = ""


def directory_options(source: Source) -> DirectoryOptions:
    raw = mapping(source.get("directory"))
    return DirectoryOptions(
        recurse=raw.get("recurse") is True,
        include=string(raw.get("include")),
        exclude=string(raw.get("exclude")),
    )
