"""The resources the simulated control plane reads and writes."""

from __future__ import annotations

from fleetops.kubesim.keys import GroupResource

PODS = GroupResource("", "pods")
NODES = GroupResource("", "nodes")
SERVICES = GroupResource("", "services")
ENDPOINTS = GroupResource("", "endpoints")
PERSISTENT_VOLUME_CLAIMS = GroupResource("", "persistentvolumeclaims")
PERSISTENT_VOLUMES = GroupResource("", "persistentvolumes")
EVENTS = GroupResource("", "events")
DEPLOYMENTS = GroupResource("apps", "deployments")
REPLICA_SETS = GroupResource("apps", "replicasets")
STATEFUL_SETS = GroupResource("apps", "statefulsets")
DAEMON_SETS = GroupResource("apps", "daemonsets")
CONTROLLER_REVISIONS = GroupResource("apps", "controllerrevisions")
JOBS = GroupResource("batch", "jobs")
CRON_JOBS = GroupResource("batch", "cronjobs")
INGRESSES = GroupResource("networking.k8s.io", "ingresses")
ENDPOINT_SLICES = GroupResource("discovery.k8s.io", "endpointslices")
