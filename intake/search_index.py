"""The residents' blind index, recomputed under a new search key (rotate_keys --search-key).

Batch by batch in id order, one transaction and row lock each, so a long rotation never
holds many rows; a search meanwhile asks under both search keys (vault/blind.py).
"""

from django.db import transaction

from intake.models import Resident


def reindex_residents(batch_size: int) -> int:
    done, last = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                Resident.objects.select_for_update().filter(pk__gt=last).order_by("pk")[:batch_size]
            )
            if not rows:
                return done
            for resident in rows:
                resident.reindex()
            last, done = rows[-1].pk, done + len(rows)
