"""What embedded mode remembers in its data directory besides kubesim's SQLite files and the
repository: the Git server's port, the webhook secret, whether the sample was installed."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATE_FILE = "embedded.json"


@dataclass
class EmbeddedState:
    git_port: int = 0
    hub_port: int = 0
    """The port `--port 0` picked on the first start (reused while it is free)."""
    webhook_secret: str = field(default_factory=lambda: secrets.token_hex(16))
    seeded: bool = False
    """The sample Applications were created once (a restart never recreates what a user deleted)."""
    platform: bool = False
    """The `platform-services` ApplicationSet was created once (a data directory from before it
    existed gets it, and its repository `clusters/<spoke>/platform`, on its next start)."""

    @classmethod
    def load(cls, data_dir: Path) -> EmbeddedState:
        path = data_dir / STATE_FILE
        if not path.is_file():
            return cls()
        raw = json.loads(path.read_text())
        return cls(
            git_port=int(raw.get("git_port") or 0),
            hub_port=int(raw.get("hub_port") or 0),
            webhook_secret=str(raw.get("webhook_secret") or secrets.token_hex(16)),
            seeded=bool(raw.get("seeded")),
            platform=bool(raw.get("platform")),
        )

    def save(self, data_dir: Path) -> None:
        path = data_dir / STATE_FILE
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2) + "\n")
        tmp.chmod(0o600)
        tmp.replace(path)


def free_port(host: str, preferred: int = 0) -> int:
    """`preferred` if it can be bound on `host` now, else a free port the system picks."""
    import socket  # noqa: PLC0415

    for candidate in (preferred, 0) if preferred else (0,):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, candidate))
            except OSError:
                continue
            port: int = sock.getsockname()[1]
            return port
    raise OSError(f"no free port on {host}")
