"""Fixtures for the Git adapter: real smart-HTTP and SSH servers (tests/support/gitserver.py)."""

from tests.support.gitserver import git_server, git_server_with_auth, ssh_git_server

__all__ = ["git_server", "git_server_with_auth", "ssh_git_server"]
