"""Adapters: I/O implementing the ports (git, ...). The engine never imports them; the CLI and
server wiring do."""
