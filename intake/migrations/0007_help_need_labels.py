# Only the help need's choice labels change (no SQL); the field stays sealed (0006).

import vault.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0006_sealed_fields_and_blind_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='domainassessment',
            name='help_need',
            field=vault.fields.SealedCharField(choices=[('unknown', 'nog niet bepaald'), ('confirmed', 'ja, bevestigd'), ('none', 'nee, geen hulpvraag')], default='unknown', max_length=10, verbose_name='hulpvraag'),
        ),
    ]
