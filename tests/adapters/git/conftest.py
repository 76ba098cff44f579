"""Fixtures for the Git adapter: a real smart-HTTP server (tests/support/gitserver.py)."""

from tests.support.gitserver import git_server, git_server_with_auth

__all__ = ["git_server", "git_server_with_auth"]
