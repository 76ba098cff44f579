"""A whole build: accumulate the root kustomization, then kustomize's final steps.

Final steps (top level only): content-hash suffixes on generated names, name references fixed
after all renames, vars resolved, local-config resources dropped, then ordering and build
metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fleetops.core.kustomize.build_metadata import apply_build_metadata
from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.filesystem import FileSystem, RecordingFileSystem, clean
from fleetops.core.kustomize.generators.hashing import content_hash
from fleetops.core.kustomize.loader import ROOT_ONLY, Loader, RemoteContext
from fleetops.core.kustomize.remote import RemoteNeededError, RemoteResolver, RemoteUse
from fleetops.core.kustomize.resmap import ResMap
from fleetops.core.kustomize.resource import Resource
from fleetops.core.kustomize.target import BuildContext, KustTarget
from fleetops.core.kustomize.transformers.name_reference import fix_name_references
from fleetops.core.kustomize.transformers.ordering import legacy_sort, sort_with_options
from fleetops.core.kustomize.transformers.vars import resolve_vars
from fleetops.core.yamlio import dump_documents

LEGACY = "legacy"
NONE = "none"
UNSPECIFIED = "unspecified"
LOCAL_CONFIG = "config.kubernetes.io/local-config"


@dataclass(frozen=True)
class BuildOptions:
    reorder: str = UNSPECIFIED
    """`legacy` (kind order), `none` (input order) or `unspecified` (legacy unless sortOptions)."""
    load_restrictor: str = ROOT_ONLY
    add_managed_by_label: bool = False
    managed_by: str = "kustomize-v5.8.1"
    enable_helm: bool = False
    remote: RemoteResolver | None = None
    """Where remote bases (Git URLs in `resources:`/`components:`) are read; None: refused."""


@dataclass(frozen=True)
class BuildResult:
    manifests: list[dict[str, Any]]
    files_read: dict[str, str]
    """Every file read: path -> SHA-256 of its content."""
    missing: frozenset[str] = frozenset()
    """Paths looked for and not found (a new file there would change the build)."""
    listed: frozenset[str] = frozenset()
    warnings: list[str] = field(default_factory=list)
    """Deprecation warnings, as kustomize prints them on stderr."""
    remotes: tuple[RemoteUse, ...] = ()
    """Every remote base read: (clone URL, ref, commit), part of a render-cache key."""

    def yaml(self) -> str:
        return render_yaml(self.manifests)


def render_yaml(manifests: list[dict[str, Any]]) -> str:
    """The multi-document YAML text `kubectl kustomize` prints for these manifests."""
    return dump_documents(manifests)


def build(fs: FileSystem, path: str, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build the kustomization at `path` (absolute inside `fs`). Raises KustomizeError;
    RemoteNeededError (a KustomizeError) lists the remote bases to fetch before building again."""
    remotes = RemoteContext(options.remote)
    try:
        return _build(fs, path, options, remotes)
    except KustomizeError:
        if remotes.needed:  # a failure may come from the bases not fetched yet
            raise RemoteNeededError(list(remotes.needed.values())) from None
        raise


def _build(fs: FileSystem, path: str, options: BuildOptions, remotes: RemoteContext) -> BuildResult:
    recording = RecordingFileSystem(fs)
    root = clean(path)
    if not recording.is_dir(root):
        raise KustomizeError(
            f"must build at directory: not a valid directory: '{root.lstrip('/')}' doesn't exist"
        )
    context = BuildContext()
    ldr = Loader(recording, root, options.load_restrictor, remotes=remotes)
    target = KustTarget(ldr, context)
    top_metadata = target.kustomization.list("buildMetadata")
    context.origin_annotations = "originAnnotations" in top_metadata
    context.transformer_annotations = "transformerAnnotations" in top_metadata
    acc = target.accumulate()
    if remotes.needed:
        raise RemoteNeededError(list(remotes.needed.values()))
    resources = acc.resources
    _add_hash_suffixes(resources)
    fix_name_references(resources, acc.config.name_reference)
    # build metadata makes kustomize copy the objects, which ends the node sharing
    shared = not top_metadata and not options.add_managed_by_label
    resolve_vars(resources, acc.vars, acc.config.var_reference, shared_nodes=shared)
    kept = [r for r in resources if str(r.annotations.get(LOCAL_CONFIG, "")).lower() != "true"]
    sort_options = target.kustomization.data.get("sortOptions")
    if isinstance(sort_options, dict):
        kept = sort_with_options(kept, sort_options)
    elif options.reorder in (LEGACY, UNSPECIFIED):
        kept = legacy_sort(kept)
    apply_build_metadata(kept, target.kustomization.list("buildMetadata"), options)
    manifests = [_finish(r) for r in kept]
    return BuildResult(
        manifests=manifests,
        files_read=dict(recording.log.files),
        missing=frozenset(recording.log.missing),
        listed=frozenset(recording.log.listed),
        warnings=list(context.warnings),
        remotes=tuple(remotes.used.values()),
    )


def _add_hash_suffixes(resources: ResMap) -> None:
    for resource in resources:
        if resource.generated and resource.hash_suffix:
            suffix = content_hash(resource.obj)
            resource.store_previous_id()
            resource.name = f"{resource.name}-{suffix}"


def _finish(resource: Resource) -> dict[str, Any]:
    obj = resource.obj
    meta = obj.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("annotations"), dict):
        meta["annotations"] = {k: _annotation_text(v) for k, v in meta["annotations"].items()}
        if not meta["annotations"]:
            del meta["annotations"]
    return obj


def _annotation_text(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    return value
