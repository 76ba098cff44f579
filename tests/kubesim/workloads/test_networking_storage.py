"""Services get cluster IPs, node ports and load-balancer addresses; Ingresses an address; claims bind."""

from __future__ import annotations

from fleetops.kubesim.workloads.resources import (
    ENDPOINT_SLICES,
    ENDPOINTS,
    INGRESSES,
    PERSISTENT_VOLUME_CLAIMS,
    PERSISTENT_VOLUMES,
    PODS,
    SERVICES,
)

from .simulation import Manifest, Sim


def service(name: str, kind: str = "ClusterIP") -> Manifest:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"type": kind, "selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]},
    }


async def test_load_balancer_service_gets_an_address_and_node_port(sim: Sim) -> None:
    sim.create(SERVICES, service("front", "LoadBalancer"))
    found = await sim.wait_for(
        lambda: (
            (s := sim.get(SERVICES, "front"))
            and ((s.get("status") or {}).get("loadBalancer") or {}).get("ingress")
            and s
        ),
        what="LB address",
    )
    assert found["status"]["loadBalancer"]["ingress"][0]["ip"].startswith("172.18.255.")
    assert 30000 <= found["spec"]["ports"][0]["nodePort"] <= 32767
    assert found["spec"]["clusterIP"].startswith("10.96.")


async def test_cluster_ips_are_allocated_once_and_distinct(sim: Sim) -> None:
    sim.create(SERVICES, service("a"))
    sim.create(SERVICES, service("b"))
    await sim.wait_for(
        lambda: all((sim.get(SERVICES, n) or {}).get("spec", {}).get("clusterIP") for n in "ab"),
        what="cluster IPs",
    )
    first, second = (sim.get(SERVICES, n)["spec"]["clusterIP"] for n in "ab")  # type: ignore[index]
    assert first != second and "10.96.0.1" not in (first, second)
    headless = service("h")
    headless["spec"]["clusterIP"] = "None"
    sim.create(SERVICES, headless)
    await sim.wait_for(
        lambda: "loadBalancer" in ((sim.get(SERVICES, "h") or {}).get("status") or {}), what="reconciled"
    )
    assert sim.get(SERVICES, "h")["spec"]["clusterIP"] == "None"  # type: ignore[index]


async def test_ingress_gets_a_load_balancer_address(sim: Sim) -> None:
    sim.create(
        INGRESSES,
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "web"},
            "spec": {
                "rules": [
                    {
                        "host": "web.example.com",
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {"service": {"name": "web", "port": {"number": 80}}},
                                }
                            ]
                        },
                    }
                ]
            },
        },
    )
    found = await sim.wait_for(
        lambda: (
            (i := sim.get(INGRESSES, "web"))
            and ((i.get("status") or {}).get("loadBalancer") or {}).get("ingress")
            and i
        ),
        what="ingress address",
    )
    assert found["status"]["loadBalancer"]["ingress"] == [{"ip": "172.18.255.254"}]


async def test_claim_binds_to_a_provisioned_volume_which_goes_with_it(sim: Sim) -> None:
    sim.create(
        PERSISTENT_VOLUME_CLAIMS,
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "2Gi"}}},
        },
    )
    claim = await sim.wait_for(
        lambda: (
            (c := sim.get(PERSISTENT_VOLUME_CLAIMS, "data"))
            and (c.get("status") or {}).get("phase") == "Bound"
            and c
        ),
        what="Bound",
    )
    assert claim["status"]["capacity"] == {"storage": "2Gi"}
    assert claim["spec"]["storageClassName"] == "standard"
    volume = sim.get(PERSISTENT_VOLUMES, claim["spec"]["volumeName"], "")
    assert volume is not None
    assert volume["status"]["phase"] == "Bound"
    assert volume["spec"]["claimRef"]["uid"] == claim["metadata"]["uid"]
    sim.delete(PERSISTENT_VOLUME_CLAIMS, "data")
    await sim.wait_for(
        lambda: sim.get(PERSISTENT_VOLUMES, claim["spec"]["volumeName"], "") is None, what="volume reclaimed"
    )


async def test_endpoints_follow_ready_pods(sim: Sim) -> None:
    sim.create(SERVICES, service("web"))
    for index in range(2):
        sim.create(
            PODS,
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": f"web-{index}", "labels": {"app": "web"}},
                "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
            },
        )

    def addresses() -> list[str]:
        subsets = (sim.get(ENDPOINTS, "web") or {}).get("subsets") or [{}]
        return sorted(a["targetRef"]["name"] for a in subsets[0].get("addresses") or [])

    await sim.wait_for(lambda: addresses() == ["web-0", "web-1"], what="both pods as endpoints")
    endpoints = sim.get(ENDPOINTS, "web")
    assert endpoints is not None and endpoints["subsets"][0]["ports"] == [{"port": 8080, "protocol": "TCP"}]
    slices = [
        s for s in sim.list(ENDPOINT_SLICES) if s["metadata"]["labels"]["kubernetes.io/service-name"] == "web"
    ]
    assert len(slices) == 1 and len(slices[0]["endpoints"]) == 2
    assert all(e["conditions"]["ready"] for e in slices[0]["endpoints"])
    sim.delete(PODS, "web-1")
    await sim.wait_for(lambda: addresses() == ["web-0"], what="deleted pod leaves the endpoints")
