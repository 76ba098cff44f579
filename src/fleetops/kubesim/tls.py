"""TLS for simulated clusters: a generated CA, a serving certificate for 127.0.0.1, and a client
certificate for the admin (`CN=kubernetes-admin, O=system:masters`).

kubectl sends bearer tokens only over HTTPS, so clusters serve TLS by default; the kubeconfig
carries the CA, the admin token and the client certificate. Client certificates signed by the CA
authenticate as their common name. With a data directory the files are kept, so a restarted
cluster is trusted by the kubeconfig written before.
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
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_VALIDITY = datetime.timedelta(days=3650)
_CONTEXTS: dict[bytes, ssl.SSLContext] = {}
_PROCESS: list[Credentials] = []
ADMIN_NAME = "kubernetes-admin"
_FILES = ("ca.crt", "ca.key", "tls.crt", "tls.key", "client.crt", "client.key")


@dataclass(frozen=True)
class Credentials:
    ca_pem: bytes
    ca_key_pem: bytes
    cert_pem: bytes
    key_pem: bytes
    client_cert_pem: bytes
    client_key_pem: bytes

    def server_context(self) -> ssl.SSLContext:
        """A serving context asking for (optional) client certificates; cached per certificate."""
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
        context.load_verify_locations(cadata=self.ca_pem.decode())
        context.verify_mode = ssl.CERT_OPTIONAL
        key.unlink()
        cert.unlink()
        directory.rmdir()
        _CONTEXTS[self.cert_pem] = context
        return context


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _signed(
    *,
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    usage: x509.ObjectIdentifier,
    names: list[x509.GeneralName] | None = None,
) -> bytes:
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + _VALIDITY)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def _ca(name: x509.Name, key: ec.EllipticCurvePrivateKey) -> bytes:
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    usage = x509.KeyUsage(
        digital_signature=True,
        key_cert_sign=True,
        crl_sign=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM)


def generate(common_name: str = "kubesim") -> Credentials:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{common_name}-ca")])
    serving_key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [
        x509.DNSName("localhost"),
        x509.DNSName("kubernetes"),
        x509.DNSName("kubernetes.default.svc"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    ]
    serving = _signed(
        subject=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")]),
        key=serving_key,
        issuer=ca_name,
        issuer_key=ca_key,
        usage=ExtendedKeyUsageOID.SERVER_AUTH,
        names=names,
    )
    client_key = ec.generate_private_key(ec.SECP256R1())
    client_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "system:masters"),
            x509.NameAttribute(NameOID.COMMON_NAME, ADMIN_NAME),
        ]
    )
    client = _signed(
        subject=client_name,
        key=client_key,
        issuer=ca_name,
        issuer_key=ca_key,
        usage=ExtendedKeyUsageOID.CLIENT_AUTH,
    )
    return Credentials(
        _ca(ca_name, ca_key), _pem(ca_key), serving, _pem(serving_key), client, _pem(client_key)
    )


def load_or_generate(directory: Path | None) -> Credentials:
    """The credentials kept in `directory` (generated and saved the first time); without a
    directory, one set per process."""
    if directory is not None:
        files = [directory / name for name in _FILES]
        if all(path.exists() for path in files):
            return Credentials(*(path.read_bytes() for path in files))
    elif _PROCESS:
        return _PROCESS[0]
    credentials = generate()
    if directory is None:
        _PROCESS.append(credentials)
        return credentials
    directory.mkdir(parents=True, exist_ok=True)
    values = (
        credentials.ca_pem,
        credentials.ca_key_pem,
        credentials.cert_pem,
        credentials.key_pem,
        credentials.client_cert_pem,
        credentials.client_key_pem,
    )
    for name, value in zip(_FILES, values, strict=True):
        path = directory / name
        path.write_bytes(value)
        if name.endswith(".key"):
            path.chmod(0o600)
    return credentials


def peer_identity(peer_certificate: dict[str, object] | None) -> str | None:
    """The common name of a verified client certificate (as `ssl.SSLSocket.getpeercert()` gives it)."""
    if not peer_certificate:
        return None
    for rdn in peer_certificate.get("subject", ()) or ():  # type: ignore[attr-defined]
        for key, value in rdn:
            if key == "commonName":
                return str(value)
    return None
