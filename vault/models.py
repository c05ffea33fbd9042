"""The data keys: one row per stored value version, wrapped by a key-encryption key.

Only this narrow table changes in a rotation, and destroying a value is deleting its row
here (in the same transaction as the row change). The wrapped bytes are AES-256-GCM under
the KEK named by `kek`, with the key's own id as associated data, so a wrapped key copied
to another id does not unwrap.
"""

from django.db import models


class DataKey(models.Model):
    # Random, chosen before wrapping (the wrap binds it), so keys are made without a
    # round trip and many are stored with one INSERT.
    id = models.BigIntegerField(primary_key=True)
    kek = models.CharField(max_length=64, db_index=True)
    wrapped = models.BinaryField()

    class Meta:
        verbose_name = "gegevenssleutel"
        verbose_name_plural = "gegevenssleutels"

    def __str__(self) -> str:
        return f"gegevenssleutel {self.id}"
