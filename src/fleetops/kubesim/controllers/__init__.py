"""Control loops that run beside the API server as asyncio tasks, watching the store's hub."""

from fleetops.kubesim.controllers.base import Controller
from fleetops.kubesim.controllers.crds import CrdController
from fleetops.kubesim.controllers.garbage import GarbageCollector
from fleetops.kubesim.controllers.namespaces import NamespaceController

__all__ = ["Controller", "CrdController", "GarbageCollector", "NamespaceController", "core_controllers"]


def core_controllers() -> list[type[Controller]]:
    """The controllers every simulated API server needs (the kube-controller-manager's share)."""
    return [CrdController, NamespaceController, GarbageCollector]
