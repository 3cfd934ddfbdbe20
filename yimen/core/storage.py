"""Uploaded files at rest (case attachments, grid workers' photos): sealed with SM4-GCM under a
key derived from the field key, so a copy of var/media is as unreadable as the encrypted ID
numbers beside it (issue 12 item 6). Files are never served from the storage's location: the
views that check who may see a file open it through this storage, which unseals it."""

import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from yimen.core.crypto import sm4_open_bytes, sm4_seal_bytes


class SealedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose bytes on disk are sealed; open() hands back the original bytes.
    Whole files pass through memory: uploads are capped at 20 MB (case attachments)."""

    def _save(self, name: str, content: File) -> str:
        content.seek(0)
        return super()._save(name, ContentFile(sm4_seal_bytes(content.read())))

    def _open(self, name: str, mode: str = "rb") -> File:
        if "b" not in mode or any(flag in mode for flag in "wa+"):
            raise ValueError("sealed files are read whole, in binary mode")
        with open(self.path(name), "rb") as sealed:
            return ContentFile(sm4_open_bytes(sealed.read()), name=name)

    def reseal(self, old_secret: str) -> int:
        """Move every file sealed under the old field key to the current one (after a key
        rotation); a file already under the current key is left alone, so a stopped run resumes.
        A file neither key opens stops the run with InvalidTag. Returns how many were resealed."""
        resealed = 0
        for path in sorted(p for p in Path(self.location).rglob("*") if p.is_file()):
            blob = path.read_bytes()
            try:
                sm4_open_bytes(blob)
                continue
            except InvalidTag:
                plain = sm4_open_bytes(blob, secret=old_secret)
            partial = path.with_name(f".{path.name}.resealing")
            partial.write_bytes(sm4_seal_bytes(plain))
            os.replace(partial, path)  # atomic: the file is under one key or the other, never half
            resealed += 1
        return resealed
