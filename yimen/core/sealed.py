"""The SM4-sealed columns of every app, found the same way by whoever must touch them all: the
backup's verification (core.backup) and the field key rotation (core.services.field_key_rotate).
A sealed value is `<name>_cipher`, with `<name>_index` beside it when it is searched by blind
index; naming alone makes a new app's sealed field part of both, so none can be forgotten (the
rotation once covered the registry only and left case parties under the retired key)."""

from collections.abc import Iterator

from cryptography.exceptions import InvalidTag
from django.apps import apps

from yimen.core.crypto import blind_index, sm4_decrypt, sm4_encrypt


def sealed_columns() -> Iterator[tuple[type, str, str | None]]:
    """Every SM4-sealed column (<name>_cipher) of every model, with its blind index if it has one."""
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        for name in sorted(names):
            if name.endswith("_cipher"):
                index = f"{name[: -len('_cipher')]}_index"
                yield model, name, index if index in names else None


def sealed_models() -> dict[type, list[tuple[str, str | None]]]:
    """sealed_columns grouped by model: {model: [(cipher column, index column or None)]}."""
    grouped: dict[type, list[tuple[str, str | None]]] = {}
    for model, cipher, index in sealed_columns():
        grouped.setdefault(model, []).append((cipher, index))
    return grouped


def reseal(row, columns: list[tuple[str, str | None]], old_secret: str) -> bool:
    """Re-encrypt and re-index one row's sealed columns under the current key; False when the row
    is already under it (a rotation that stopped half-way resumes where it stopped). A value that
    opens under neither key raises InvalidTag: the rotation stops, loudly."""
    resealed = False
    for cipher, index in columns:
        token = getattr(row, cipher)
        if not token:
            continue
        try:
            sm4_decrypt(token)
            continue
        except InvalidTag:
            plain = sm4_decrypt(token, secret=old_secret)
        setattr(row, cipher, sm4_encrypt(plain))
        if index is not None:
            setattr(row, index, blind_index(plain))
        resealed = True
    return resealed
