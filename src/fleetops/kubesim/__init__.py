"""kubesim: emulated Kubernetes API servers that kubectl and real client libraries can use.

One process hosts many clusters (`SimCluster`, `Fleet`), each on its own 127.0.0.1 port, with
objects in memory or in SQLite. RBAC is not enforced: every authenticated identity may do anything.
"""

from fleetops.kubesim.cluster import SimCluster

__all__ = ["SimCluster"]
