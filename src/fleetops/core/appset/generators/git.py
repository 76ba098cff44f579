"""The ``git`` generator: ``directories`` (include/exclude globs) and ``files`` (JSON/YAML
files whose content becomes parameters), read from a :class:`RepoTree`."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Mapping
from typing import Any

from fleetops.core.app.globs import glob_match
from fleetops.core.appset.errors import GeneratorError
from fleetops.core.appset.generators.context import GeneratorContext
from fleetops.core.appset.generators.values import with_values
from fleetops.core.appset.params import Params, flatten, path_params
from fleetops.core.yamlio import YamlReadError, load_documents

__all__ = ["git_params"]


def git_params(spec: Mapping[str, Any], context: GeneratorContext) -> list[Params]:
    """Parameter sets of a git generator (directories or files, not both)."""
    repo = context.inputs.repo
    if repo is None:
        raise GeneratorError("git generator: no repository tree given (use a local checkout)")
    repo_url = str(spec.get("repoURL", ""))
    revision = str(spec.get("revision", "") or "HEAD")
    directories, files = spec.get("directories"), spec.get("files")
    if bool(directories) == bool(files):
        raise GeneratorError("git generator: exactly one of directories or files is required")
    prefix = str(spec.get("pathParamPrefix", ""))
    go = context.mode.go_template
    result: list[Params] = []
    if directories:
        for directory in _selected(directories, repo.directories(repo_url, revision), directories_only=True):
            result.append(path_params(directory, go_template=go, prefix=prefix))
    else:
        for file in _selected(files, repo.files(repo_url, revision), directories_only=False):
            content = repo.read(repo_url, revision, file)
            result.extend(_file_params(file, content, go=go, prefix=prefix))
    return [with_values(params, spec.get("values"), context.mode) for params in result]


def _selected(patterns: Any, paths: Any, *, directories_only: bool) -> list[str]:
    """Paths matched by an include pattern and by no ``exclude: true`` pattern; hidden ones skipped."""
    if not isinstance(patterns, list) or not all(isinstance(p, Mapping) and "path" in p for p in patterns):
        raise GeneratorError("git generator: each entry needs a path")
    for pattern in patterns:
        text = str(pattern["path"])
        if text.startswith("/") or ".." in text.split("/"):
            raise GeneratorError(
                f"git generator: path {text!r} must stay inside the repository (no '/' or '..')"
            )
    chosen: list[str] = []
    for path in sorted(str(p).strip("/") for p in paths):
        if directories_only and any(part.startswith(".") for part in path.split("/")):
            continue
        included = excluded = False
        for pattern in patterns:
            separators = "/" if directories_only else ""
            if glob_match(str(pattern["path"]), path, separators=separators):
                if pattern.get("exclude"):
                    excluded = True
                else:
                    included = True
        if included and not excluded:
            chosen.append(path)
    return chosen


def _file_params(file: str, content: bytes, *, go: bool, prefix: str) -> list[Params]:
    try:
        if file.endswith(".json"):
            documents = json.loads(content)
        else:
            documents = load_documents(content, string_keys=True)
    except (ValueError, YamlReadError) as error:
        raise GeneratorError(f"git files generator: unable to parse {file}: {error}") from error
    if not file.endswith(".json"):
        documents = documents[0] if len(documents) == 1 else documents
    objects = documents if isinstance(documents, list) else [documents]
    directory = posixpath.dirname(file) or "."
    paths = path_params(directory, go_template=go, prefix=prefix, file=posixpath.basename(file))
    result: list[Params] = []
    for obj in objects:
        if obj is None:
            continue
        if not isinstance(obj, Mapping):
            raise GeneratorError(f"git files generator: {file} must hold a map or a list of maps")
        result.append({**(dict(obj) if go else flatten(obj)), **paths})
    return result
