"""TLS client contexts from a `ClusterConfig`: the CA (or the system trust store), skipping
verification when asked, and the client certificate (file or data; PEM)."""

from __future__ import annotations

import os
import ssl
import tempfile
from pathlib import Path

from fleetops.adapters.kube.config import ClusterConfig


def client_ssl_context(
    config: ClusterConfig, *, cert_pem: bytes | None = None, key_pem: bytes | None = None
) -> ssl.SSLContext:
    if config.insecure_skip_tls_verify:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif config.ca_pem:
        context = ssl.create_default_context(cadata=config.ca_pem.decode())
    else:
        context = ssl.create_default_context()
    if cert_pem and key_pem:
        _load_client_certificate(context, cert_pem, key_pem)
    return context


def _load_client_certificate(context: ssl.SSLContext, cert_pem: bytes, key_pem: bytes) -> None:
    # The ssl module loads key pairs only from files: write them to a private directory briefly.
    directory = Path(tempfile.mkdtemp(prefix="fleetops-tls-"))
    cert, key = directory / "client.crt", directory / "client.key"
    try:
        descriptor = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key_pem)
        cert.write_bytes(cert_pem)
        context.load_cert_chain(str(cert), str(key))
    finally:
        for path in (cert, key):
            path.unlink(missing_ok=True)
        directory.rmdir()
