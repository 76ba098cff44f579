"""Test helpers shared across test packages (a real Git server, ...)."""
