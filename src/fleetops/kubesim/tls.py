"""TLS for simulated clusters: a generated CA and a serving certificate for 127.0.0.1.

kubectl sends bearer tokens only over HTTPS, so clusters serve TLS by default; the kubeconfig
carries the CA. With a data directory the CA and certificate are kept, so a restarted cluster is
trusted by the kubeconfig written before.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_VALIDITY = datetime.timedelta(days=3650)
_CONTEXTS: dict[bytes, ssl.SSLContext] = {}
_PROCESS: list[Credentials] = []


@dataclass(frozen=True)
class Credentials:
    ca_pem: bytes
    cert_pem: bytes
    key_pem: bytes

    def server_context(self) -> ssl.SSLContext:
        """A serving context (cached: many clusters of one process share it)."""
        cached = _CONTEXTS.get(self.cert_pem)
        if cached is not None:
            return cached
        directory = Path(tempfile.mkdtemp(prefix="kubesim-tls-"))
        cert, key = directory / "serving.crt", directory / "serving.key"
        cert.write_bytes(self.cert_pem + self.ca_pem)
        key.write_bytes(self.key_pem)
        key.chmod(0o600)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert), str(key))
        key.unlink()
        cert.unlink()
        directory.rmdir()
        _CONTEXTS[self.cert_pem] = context
        return context


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def generate(common_name: str = "kubesim") -> Credentials:
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{common_name}-ca")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [
        x509.DNSName("localhost"),
        x509.DNSName("kubernetes"),
        x509.DNSName("kubernetes.default.svc"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return Credentials(
        ca.public_bytes(serialization.Encoding.PEM),
        cert.public_bytes(serialization.Encoding.PEM),
        _key_pem(key),
    )


def load_or_generate(directory: Path | None) -> Credentials:
    """The credentials kept in `directory` (generated and saved the first time)."""
    if directory is not None:
        files = [directory / name for name in ("ca.crt", "tls.crt", "tls.key")]
        if all(path.exists() for path in files):
            return Credentials(*(path.read_bytes() for path in files))
    if directory is None and _PROCESS:
        return _PROCESS[0]
    credentials = generate()
    if directory is None:
        _PROCESS.append(credentials)
    else:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "ca.crt").write_bytes(credentials.ca_pem)
        (directory / "tls.crt").write_bytes(credentials.cert_pem)
        (directory / "tls.key").write_bytes(credentials.key_pem)
        (directory / "tls.key").chmod(0o600)
    return credentials
