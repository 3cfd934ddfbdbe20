"""Re-index stored case parties' phones and ID numbers under yimen.core.identity's normal form.

Before issue 13 the case intake kept a phone as typed minus spaces and dashes, so "+86 13907730001"
was sealed and indexed as "+8613907730001" while "139-0773-0001" became "13907730001": two blind
indexes for one person, and repeat petitions and intake hints missed them. Each party's values are
decrypted with the field key, normalised, and re-sealed, re-indexed and re-masked where the normal
form differs. A value the shared validator refuses (a landline typed without its area code) is
left as stored. Persons need nothing: the registry already kept mobiles as their 11 digits."""

from django.db import migrations

from yimen.core.crypto import blind_index, sm4_decrypt, sm4_encrypt
from yimen.core.identity import id_number_or_empty, mask_id_number, mask_phone, phone_or_empty

BATCH = 500
FIELDS = {"phone": (phone_or_empty, mask_phone), "id_number": (id_number_or_empty, mask_id_number)}


def _renormalise(party) -> bool:
    changed = False
    for name, (normalise, mask) in FIELDS.items():
        sealed = getattr(party, f"{name}_cipher")
        if not sealed:
            continue
        plain = sm4_decrypt(sealed)
        normal = normalise(plain) or plain
        if normal == plain and getattr(party, f"{name}_index") == blind_index(plain):
            continue
        setattr(party, f"{name}_cipher", sm4_encrypt(normal))
        setattr(party, f"{name}_index", blind_index(normal))
        setattr(party, f"{name}_masked", mask(normal))
        changed = True
    return changed


def reindex_parties(apps, schema_editor) -> None:
    Party = apps.get_model("cases", "Party")
    sealed = Party.objects.exclude(phone_cipher="", id_number_cipher="").order_by("pk")
    fields = [f"{name}_{part}" for name in FIELDS for part in ("cipher", "index", "masked")]
    last = 0
    while batch := list(sealed.filter(pk__gt=last).only("pk", *fields)[:BATCH]):
        last = batch[-1].pk
        Party.objects.bulk_update([party for party in batch if _renormalise(party)], fields)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_dashboard_moment_indexes")]

    # Backwards: nothing to undo; the normal form is a value the older code stored as well.
    operations = [migrations.RunPython(reindex_parties, migrations.RunPython.noop, elidable=True)]
