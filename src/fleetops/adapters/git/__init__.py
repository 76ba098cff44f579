"""The Git adapter: GitSource over libgit2 (pygit2).

Public API::

    PygitSource(cache_dir, *, rewrites=None, repo_secrets=(), on_request=None,
                connect_timeout=30.0, io_timeout=90.0, ssh_known_hosts=None)   a GitSource
        .fetch(url), .resolve(url, revision), .tree(url, sha, root="/"), .commit_and_push(...),
        .log(url, sha, paths, since=None), .set_repo_secrets(secrets), .credentials(url)
    Transports: file://, http(s) (username/password or token as password; `bearerToken` as an
    Authorization: Bearer header; TLS verified unless the Secret says `insecure: "true"`), ssh
    (`sshPrivateKey`; host keys checked against known hosts unless insecure).
    GitTreeFileSystem(repo, tree, root="/")   a SourceTree (kustomize FileSystem + content_id)
    RequestObserver = Callable[[repo_url, request_type, seconds, ok], None]
"""

from fleetops.adapters.git.source import PygitSource, RequestObserver
from fleetops.adapters.git.treefs import GitTreeFileSystem

__all__ = ["GitTreeFileSystem", "PygitSource", "RequestObserver"]
