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
    webhook_secret: str = field(default_factory=lambda: secrets.token_hex(16))
    seeded: bool = False
    """The sample Applications were created once (a restart never recreates what a user deleted)."""

    @classmethod
    def load(cls, data_dir: Path) -> EmbeddedState:
        path = data_dir / STATE_FILE
        if not path.is_file():
            return cls()
        raw = json.loads(path.read_text())
        return cls(
            git_port=int(raw.get("git_port") or 0),
            webhook_secret=str(raw.get("webhook_secret") or secrets.token_hex(16)),
            seeded=bool(raw.get("seeded")),
        )

    def save(self, data_dir: Path) -> None:
        path = data_dir / STATE_FILE
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2) + "\n")
        tmp.chmod(0o600)
        tmp.replace(path)
