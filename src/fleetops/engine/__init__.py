"""The engine: one reconcile of one object, written against the ports only."""
