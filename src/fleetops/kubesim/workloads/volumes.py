"""PersistentVolumeClaims: a default StorageClass, and every pending claim is bound at once to a
new PersistentVolume (dynamic provisioning); the volume goes when its claim does (reclaim Delete)."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.kubesim.keys import GroupResource
from fleetops.kubesim.rest.caller import Caller, WriteOptions
from fleetops.kubesim.rest.writes import Writer
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.resources import PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES

Manifest = dict[str, Any]

STORAGE_CLASSES = GroupResource("storage.k8s.io", "storageclasses")
DEFAULT_STORAGE_CLASS = "standard"
PROVISIONER = "kubesim.fleetops.dev/hostpath"


def ensure_storage_class(state: ClusterState) -> None:
    """The default StorageClass `standard`, unless a StorageClass of that name exists."""
    info = state.info_for(STORAGE_CLASSES)
    if info is None or state.store.get(STORAGE_CLASSES, "", DEFAULT_STORAGE_CLASS) is not None:
        return
    Writer(state).create(
        info,
        "",
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {
                "name": DEFAULT_STORAGE_CLASS,
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
            },
            "provisioner": PROVISIONER,
            "reclaimPolicy": "Delete",
            "volumeBindingMode": "Immediate",
        },
        WriteOptions(field_manager="kubesim", field_validation="Ignore"),
        Caller("system:admin", "kubesim"),
    )


class VolumeBinder(WorkloadController):
    identity = "system:serviceaccount:kube-system:persistent-volume-binder"
    manager = "kube-controller-manager"
    component = "persistentvolume-controller"

    def accepts(self, event: WatchEvent) -> bool:
        return event.resource == PERSISTENT_VOLUME_CLAIMS

    def resync(self) -> None:
        for claim in self.state.store.list(PERSISTENT_VOLUME_CLAIMS, None):
            self.bind(claim)
        claims = {
            str(c["metadata"].get("uid")) for c in self.state.store.list(PERSISTENT_VOLUME_CLAIMS, None)
        }
        for volume in self.state.store.list(PERSISTENT_VOLUMES):
            ref = (volume.get("spec") or {}).get("claimRef") or {}
            if ref.get("uid") and ref["uid"] not in claims and volume["metadata"]["name"].startswith("pvc-"):
                self.remove(PERSISTENT_VOLUMES, volume)

    def handle(self, event: WatchEvent) -> None:
        metadata = event.object["metadata"]
        if event.type == "DELETED":
            volume = self.get(PERSISTENT_VOLUMES, "", f"pvc-{metadata.get('uid')}")
            if volume is not None and not volume["metadata"].get("deletionTimestamp"):
                self.remove(PERSISTENT_VOLUMES, volume)
            return
        current = self.get(PERSISTENT_VOLUME_CLAIMS, str(metadata.get("namespace")), str(metadata["name"]))
        if current is not None:
            self.bind(current)

    def bind(self, claim: Manifest) -> None:
        if claim["metadata"].get("deletionTimestamp") or (claim.get("status") or {}).get("phase") == "Bound":
            return
        spec = claim.get("spec") or {}
        if (
            spec.get("volumeName")
            and self.get(PERSISTENT_VOLUMES, "", str(spec["volumeName"])) is None
            and not str(spec["volumeName"]).startswith("pvc-")
        ):
            return
        volume_name = str(spec.get("volumeName") or f"pvc-{claim['metadata']['uid']}")
        class_name = spec.get("storageClassName")
        if class_name is None:
            class_name = DEFAULT_STORAGE_CLASS
        size = ((spec.get("resources") or {}).get("requests") or {}).get("storage", "1Gi")
        modes = list(spec.get("accessModes") or ["ReadWriteOnce"])
        volume = self.get(PERSISTENT_VOLUMES, "", volume_name) or self._provision(
            claim, volume_name, class_name, size, modes
        )
        changed = copy.deepcopy(claim)
        changed_spec = changed.setdefault("spec", {})
        changed_spec["volumeName"] = volume_name
        changed_spec.setdefault("storageClassName", class_name)
        changed_spec.setdefault("volumeMode", "Filesystem")
        annotations = changed["metadata"].setdefault("annotations", {})
        annotations.update(
            {
                "pv.kubernetes.io/bind-completed": "yes",
                "pv.kubernetes.io/bound-by-controller": "yes",
                "volume.beta.kubernetes.io/storage-provisioner": PROVISIONER,
                "volume.kubernetes.io/storage-provisioner": PROVISIONER,
            }
        )
        stored = self.write(PERSISTENT_VOLUME_CLAIMS, changed)
        capacity = (volume.get("spec") or {}).get("capacity") or {"storage": size}
        self.write_status(
            PERSISTENT_VOLUME_CLAIMS,
            stored,
            {"phase": "Bound", "accessModes": modes, "capacity": dict(capacity)},
        )

    def _provision(
        self, claim: Manifest, name: str, class_name: str, size: str, modes: list[str]
    ) -> Manifest:
        metadata = claim["metadata"]
        volume = self.create(
            PERSISTENT_VOLUMES,
            "",
            {
                "apiVersion": "v1",
                "kind": "PersistentVolume",
                "metadata": {"name": name, "annotations": {"pv.kubernetes.io/provisioned-by": PROVISIONER}},
                "spec": {
                    "capacity": {"storage": size},
                    "accessModes": modes,
                    "persistentVolumeReclaimPolicy": "Delete",
                    "storageClassName": class_name,
                    "volumeMode": "Filesystem",
                    "hostPath": {"path": f"/var/lib/kubesim/{name}", "type": ""},
                    "claimRef": {
                        "apiVersion": "v1",
                        "kind": "PersistentVolumeClaim",
                        "name": metadata["name"],
                        "namespace": metadata["namespace"],
                        "uid": metadata["uid"],
                        "resourceVersion": metadata.get("resourceVersion", ""),
                    },
                },
            },
        )
        self.event(
            claim,
            "Normal",
            "ProvisioningSucceeded",
            f"Successfully provisioned volume {name} using {PROVISIONER}",
        )
        return self.write_status(PERSISTENT_VOLUMES, volume, {"phase": "Bound"})
