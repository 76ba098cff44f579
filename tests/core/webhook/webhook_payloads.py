"""Push payloads in each provider's documented shape (trimmed to the fields that matter)."""

from __future__ import annotations

import json
from typing import Any

BEFORE = "1" * 40
AFTER = "2" * 40

GITHUB_PUSH: dict[str, Any] = {
    "ref": "refs/heads/main",
    "before": BEFORE,
    "after": AFTER,
    "created": False,
    "deleted": False,
    "repository": {
        "full_name": "org/gitops-config",
        "html_url": "https://github.com/org/gitops-config",
        "url": "https://github.com/org/gitops-config",
        "git_url": "git://github.com/org/gitops-config.git",
        "ssh_url": "git@github.com:org/gitops-config.git",
        "clone_url": "https://github.com/org/gitops-config.git",
    },
    "commits": [
        {"id": "a" * 40, "added": ["apps/web/x.yaml"], "modified": [], "removed": []},
        {
            "id": AFTER,
            "added": [],
            "modified": ["apps/payment-service/overlays/prod/kustomization.yaml"],
            "removed": ["old.yaml"],
        },
    ],
    "head_commit": {"id": AFTER},
}

GITEA_PUSH: dict[str, Any] = {
    "secret": "",
    "ref": "refs/heads/develop",
    "before": BEFORE,
    "after": AFTER,
    "commits": [{"id": AFTER, "added": ["a.yaml"], "removed": [], "modified": ["b.yaml"]}],
    "repository": {
        "full_name": "gitea/webhooks",
        "html_url": "http://localhost:3000/gitea/webhooks",
        "ssh_url": "ssh://gitea@localhost:2222/gitea/webhooks.git",
        "clone_url": "http://localhost:3000/gitea/webhooks.git",
    },
}

GITLAB_PUSH: dict[str, Any] = {
    "object_kind": "push",
    "event_name": "push",
    "before": BEFORE,
    "after": AFTER,
    "ref": "refs/heads/master",
    "checkout_sha": AFTER,
    "project": {
        "path_with_namespace": "mike/diaspora",
        "web_url": "http://example.com/mike/diaspora",
        "git_ssh_url": "git@example.com:mike/diaspora.git",
        "git_http_url": "http://example.com/mike/diaspora.git",
    },
    "repository": {
        "url": "git@example.com:mike/diaspora.git",
        "homepage": "http://example.com/mike/diaspora",
        "git_http_url": "http://example.com/mike/diaspora.git",
        "git_ssh_url": "git@example.com:mike/diaspora.git",
    },
    "commits": [
        {"id": AFTER, "added": ["CHANGELOG"], "modified": ["app/controller/application.rb"], "removed": []}
    ],
    "total_commits_count": 1,
}

BITBUCKET_CLOUD_PUSH: dict[str, Any] = {
    "actor": {"display_name": "someone"},
    "repository": {
        "type": "repository",
        "full_name": "org/gitops-config",
        "links": {"html": {"href": "https://bitbucket.org/org/gitops-config"}},
        "scm": "git",
    },
    "push": {
        "changes": [
            {
                "new": {"type": "branch", "name": "main", "target": {"type": "commit", "hash": AFTER}},
                "old": {"type": "branch", "name": "main", "target": {"type": "commit", "hash": BEFORE}},
                "created": False,
                "closed": False,
            }
        ]
    },
}

BITBUCKET_SERVER_PUSH: dict[str, Any] = {
    "eventKey": "repo:refs_changed",
    "date": "2017-09-19T09:45:32+1000",
    "repository": {
        "slug": "gitops-config",
        "project": {"key": "PRJ"},
        "links": {
            "clone": [
                {"href": "ssh://git@bitbucket.example.com:7999/prj/gitops-config.git", "name": "ssh"},
                {"href": "https://bitbucket.example.com/scm/prj/gitops-config.git", "name": "http"},
            ],
            "self": [{"href": "https://bitbucket.example.com/projects/PRJ/repos/gitops-config/browse"}],
        },
    },
    "changes": [
        {
            "ref": {"id": "refs/heads/master", "displayId": "master", "type": "BRANCH"},
            "refId": "refs/heads/master",
            "fromHash": BEFORE,
            "toHash": AFTER,
            "type": "UPDATE",
        }
    ],
}


def body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()
