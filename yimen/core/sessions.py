"""Sessions in the database under a digest of their key (issue 12 item 6).

The browser's cookie holds the session key; the session table holds only its SHA-256, so a copy
of the database (or a backup) carries no key that signs anyone in. Chosen over signed-cookie
sessions because a server-side session can be ended: logout, a password change, a lock or the
system administrator removes the row and the cookie is dead at once, where a signed cookie
stays valid until it expires. Sessions from before this store do not match and sign in again."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from yimen.core.crypto import token_digest


def stored_key(session_key: str) -> str:
    # 40 hex digits (160 bits) fit the session table's key column; the keys are 32 random
    # characters, so the digest cannot be reversed by trying keys.
    return token_digest(session_key)[:40]


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        try:
            return self.model.objects.get(session_key=stored_key(self.session_key), expire_date__gt=timezone.now())
        except self.model.DoesNotExist:
            self._session_key = None

    async def _aget_session_from_db(self):
        try:
            return await self.model.objects.aget(
                session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
            )
        except self.model.DoesNotExist:
            self._session_key = None

    def exists(self, session_key: str) -> bool:
        return super().exists(stored_key(session_key))

    async def aexists(self, session_key: str) -> bool:
        return await super().aexists(stored_key(session_key))

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.session_key = stored_key(instance.session_key)
        return instance

    async def acreate_model_instance(self, data):
        instance = await super().acreate_model_instance(data)
        instance.session_key = stored_key(instance.session_key)
        return instance

    def delete(self, session_key: str | None = None) -> None:
        session_key = session_key or self.session_key
        if session_key is not None:
            super().delete(stored_key(session_key))

    async def adelete(self, session_key: str | None = None) -> None:
        session_key = session_key or self.session_key
        if session_key is not None:
            await super().adelete(stored_key(session_key))
