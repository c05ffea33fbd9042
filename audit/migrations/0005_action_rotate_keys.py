from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_drop_policy_change_action'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('login', 'aanmelden'), ('login_failed', 'aanmelden mislukt'), ('logout', 'afmelden'), ('read', 'inzien'), ('search', 'zoeken'), ('create', 'aanmaken'), ('update', 'wijzigen'), ('preview', 'voorbeeld minimalisatie'), ('finalise', 'afronden'), ('discard', 'vernietigen'), ('purge', 'bewaartermijn-opschoning'), ('reassign', 'toewijzen'), ('access_denied', 'toegang geweigerd'), ('export', 'exporteren'), ('admin_view', 'beheerpagina inzien'), ('load_definitions', 'ZRM-definities laden'), ('prune', 'auditlog opschonen'), ('rotate_keys', 'sleutels roteren')], db_index=True, max_length=20, verbose_name='actie'),
        ),
    ]
