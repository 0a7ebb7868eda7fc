"""A sealed OTP opens only with the shared key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from servicekit.sealing import SealError, seal, unseal


def test_a_sealed_code_opens_with_the_shared_key_and_hides_the_code() -> None:
    key = Fernet.generate_key().decode()
    token = seal(key, "482913")
    assert "482913" not in token
    assert unseal(key, token) == "482913"


def test_another_key_cannot_open_it() -> None:
    token = seal(Fernet.generate_key().decode(), "482913")
    with pytest.raises(SealError):
        unseal(Fernet.generate_key().decode(), token)
