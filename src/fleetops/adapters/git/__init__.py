"""The Git adapter: GitSource over libgit2 (pygit2).

Public API::

    PygitSource(cache_dir, *, rewrites=None, repo_secrets=(), on_request=None)   a GitSource
        .fetch(url), .resolve(url, revision), .tree(url, sha, root="/"), .commit_and_push(...),
        .log(url, sha, paths, since=None), .set_repo_secrets(secrets), .credentials(url)
    GitTreeFileSystem(repo, tree, root="/")   a SourceTree (kustomize FileSystem + content_id)
    RequestObserver = Callable[[repo_url, request_type, seconds, ok], None]
"""

from fleetops.adapters.git.source import PygitSource, RequestObserver
from fleetops.adapters.git.treefs import GitTreeFileSystem

__all__ = ["GitTreeFileSystem", "PygitSource", "RequestObserver"]
