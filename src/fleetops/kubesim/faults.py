"""Fault knobs of one simulated cluster, settable while it runs.

Image faults are read by the simulated kubelet each time it starts (or retries) a container;
API faults (unreachable, latency, error rate) by the HTTP middleware in
`fleetops.kubesim.fault_middleware` on every request. Nothing is cached: changing a field takes
effect on the next container start or the next request.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields
from typing import Any, Literal

Unreachable = Literal["", "hang", "reset"]
"""`hang`: requests never get an answer; `reset`: the connection is closed without an answer."""

DEFAULT_REGISTRY = "docker.io"


@dataclass(frozen=True, slots=True)
class ImageReference:
    """An image reference split as container runtimes do: `docker.io/library/nginx:1.27`."""

    registry: str
    repository: str
    tag: str
    digest: str

    @classmethod
    def parse(cls, image: str) -> ImageReference:
        rest, _, digest = image.partition("@")
        first, slash, remainder = rest.partition("/")
        if slash and ("." in first or ":" in first or first == "localhost"):
            registry, path = first, remainder
        else:
            registry, path = DEFAULT_REGISTRY, rest
        if registry == DEFAULT_REGISTRY and "/" not in path:
            path = f"library/{path}"
        if ":" in path.rsplit("/", 1)[-1]:
            repository, tag = path.rsplit(":", 1)
        else:
            repository, tag = path, ""
        return cls(registry, repository, tag or ("" if digest else "latest"), digest)

    def __str__(self) -> str:
        text = f"{self.registry}/{self.repository}"
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text


def _matches(image: str, patterns: frozenset[str] | set[str] | list[str]) -> bool:
    """An image matches a pattern given as written, as a full reference, or by its repository."""
    reference = ImageReference.parse(image)
    names = {
        image,
        str(reference),
        f"{reference.registry}/{reference.repository}",
        reference.repository,
        reference.repository.removeprefix("library/"),
    }
    return any(pattern in names for pattern in patterns)


@dataclass
class ClusterFaults:
    """What goes wrong in one cluster. Every field may be changed at run time."""

    denied_tags: set[str] = field(default_factory=set)
    """Image tags that fail to pull (`bad`, `does-not-exist`)."""
    denied_images: set[str] = field(default_factory=set)
    """Images that fail to pull, as written or by repository (`nginx`, `ghcr.io/acme/api:2.0`)."""
    allowed_registries: set[str] = field(default_factory=set)
    """When not empty, only images from these registries (or `registry/path` prefixes) pull."""
    crash_images: set[str] = field(default_factory=set)
    """Images whose containers exit with an error after start (CrashLoopBackOff)."""
    readiness_delays: dict[str, float] = field(default_factory=dict)
    """Seconds a container of an image runs before it reports ready."""
    unreachable: Unreachable = ""
    latency_seconds: float = 0.0
    """Added to every API request."""
    error_rate: float = 0.0
    """Fraction (0–1) of API requests answered with an error instead."""
    error_codes: tuple[int, ...] = (500, 429)
    """The errors drawn from, uniformly."""
    seed: int | None = None
    _random: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.seed is not None:
            self._random.seed(self.seed)

    # -- images ----------------------------------------------------------------------------------
    def pull_error(self, image: str) -> str | None:
        """Why pulling `image` fails (the runtime's message), or None when it pulls."""
        reference = ImageReference.parse(image)
        if reference.tag and reference.tag in self.denied_tags:
            return f"{reference}: not found"
        if _matches(image, self.denied_images):
            return f"pull access denied, repository does not exist or may require authorization: {reference}"
        if self.allowed_registries and not self._allowed_registry(reference):
            return (
                f'failed to resolve reference "{reference}": registry {reference.registry} is not '
                "allowed in this cluster"
            )
        return None

    def _allowed_registry(self, reference: ImageReference) -> bool:
        full = f"{reference.registry}/{reference.repository}"
        return any(
            full == allowed or full.startswith(allowed.rstrip("/") + "/") or reference.registry == allowed
            for allowed in self.allowed_registries
        )

    def crashes(self, image: str) -> bool:
        return _matches(image, self.crash_images)

    def readiness_delay(self, image: str) -> float:
        reference = ImageReference.parse(image)
        for pattern in (
            image,
            str(reference),
            f"{reference.registry}/{reference.repository}",
            reference.repository,
            reference.repository.removeprefix("library/"),
        ):
            if pattern in self.readiness_delays:
                return float(self.readiness_delays[pattern])
        return 0.0

    # -- API -------------------------------------------------------------------------------------
    def draw_error(self) -> int | None:
        """The error code to answer this request with, or None to serve it."""
        if self.error_rate <= 0 or not self.error_codes:
            return None
        if self._random.random() >= self.error_rate:
            return None
        return self._random.choice(self.error_codes)

    # -- control endpoint ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "deniedTags": sorted(self.denied_tags),
            "deniedImages": sorted(self.denied_images),
            "allowedRegistries": sorted(self.allowed_registries),
            "crashImages": sorted(self.crash_images),
            "readinessDelays": dict(sorted(self.readiness_delays.items())),
            "unreachable": self.unreachable,
            "latencySeconds": self.latency_seconds,
            "errorRate": self.error_rate,
            "errorCodes": list(self.error_codes),
        }

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a partial JSON document in `to_dict`'s shape; unknown keys raise `ValueError`."""
        setters = {
            "deniedTags": lambda v: setattr(self, "denied_tags", {str(x) for x in v}),
            "deniedImages": lambda v: setattr(self, "denied_images", {str(x) for x in v}),
            "allowedRegistries": lambda v: setattr(self, "allowed_registries", {str(x) for x in v}),
            "crashImages": lambda v: setattr(self, "crash_images", {str(x) for x in v}),
            "readinessDelays": lambda v: setattr(
                self, "readiness_delays", {str(k): float(x) for k, x in v.items()}
            ),
            "unreachable": lambda v: setattr(self, "unreachable", _unreachable(v)),
            "latencySeconds": lambda v: setattr(self, "latency_seconds", _non_negative(v)),
            "errorRate": lambda v: setattr(self, "error_rate", _rate(v)),
            "errorCodes": lambda v: setattr(self, "error_codes", tuple(int(x) for x in v)),
        }
        unknown = sorted(set(changes) - set(setters))
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(unknown)}")
        for key, value in changes.items():
            setters[key](value)

    def reset(self) -> None:
        """Back to a healthy cluster."""
        for spec in fields(self):
            if spec.name not in ("_random", "seed"):
                setattr(self, spec.name, getattr(ClusterFaults(), spec.name))


def _unreachable(value: Any) -> Unreachable:
    if value in (None, False, ""):
        return ""
    if value is True:
        return "hang"
    if value in ("hang", "reset"):
        return "hang" if value == "hang" else "reset"
    raise ValueError(f'unreachable must be "", "hang" or "reset", not {value!r}')


def _non_negative(value: Any) -> float:
    number = float(value)
    if number < 0:
        raise ValueError("latencySeconds must not be negative")
    return number


def _rate(value: Any) -> float:
    number = float(value)
    if not 0 <= number <= 1:
        raise ValueError("errorRate must be between 0 and 1")
    return number
