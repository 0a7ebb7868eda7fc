"""A test-only OIDC issuer: RSA and EC keys made here, a discovery document and JWKS
served on 127.0.0.1 by a thread, tokens signed on demand. For unit and fuzz tests that
need tokens of any shape (forged, expired, of another issuer) without the real provider."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

AUDIENCE = "seva"
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass
class SigningKey:
    kid: str
    alg: str
    private: PrivateKey

    @classmethod
    def rsa(cls) -> SigningKey:
        return cls(uuid.uuid4().hex, "RS256", rsa.generate_private_key(65537, 2048))

    @classmethod
    def ec(cls) -> SigningKey:
        return cls(uuid.uuid4().hex, "ES256", ec.generate_private_key(ec.SECP256R1()))

    def jwk(self) -> dict[str, Any]:
        public = self.private.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            data = json.loads(RSAAlgorithm.to_jwk(public))
        else:
            data = json.loads(ECAlgorithm.to_jwk(public))
        return {**data, "kid": self.kid, "alg": self.alg, "use": "sig"}


@dataclass
class LocalIssuer:
    """Keys listed in the JWKS are `published`; tokens may be signed with any key."""

    issuer: str = "http://127.0.0.1:0/realms/test"
    published: list[SigningKey] = field(default_factory=lambda: [SigningKey.rsa()])
    fetches: int = 0

    def document(self, path: str) -> dict[str, Any] | None:
        if path.endswith("/.well-known/openid-configuration"):
            return {"issuer": self.issuer, "jwks_uri": f"{self.issuer}/certs"}
        if path.endswith("/certs"):
            self.fetches += 1
            return {"keys": [k.jwk() for k in self.published]}
        return None

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        values: dict[str, Any] = {
            "iss": self.issuer,
            "aud": [AUDIENCE, "account"],
            "sub": str(uuid.uuid4()),
            "iat": now,
            "exp": now + 900,
            "roles": ["ddo"],
            "offices": ["DDO1"],
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v is not None}

    def token(self, key: SigningKey | None = None, **overrides: Any) -> str:
        key = key or self.published[0]
        return jwt.encode(
            self.claims(**overrides), key.private, algorithm=key.alg, headers={"kid": key.kid}
        )


@contextmanager
def serving(issuer: LocalIssuer) -> Iterator[LocalIssuer]:
    """Serve the issuer's discovery document and JWKS on a free local port."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            document = issuer.document(self.path)
            body = json.dumps(document).encode()
            self.send_response(200 if document is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    issuer.issuer = f"http://127.0.0.1:{server.server_address[1]}/realms/test"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()
