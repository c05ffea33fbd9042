"""A separate audit-writer process (imported by `spawn`, so no Django imports at the top)."""


def write_events(count: int) -> None:
    import django

    django.setup()
    from audit.context import AuditContext
    from audit.events import record
    from audit.models import Action

    for n in range(count):
        record(
            Action.READ,
            AuditContext.system("command:bench"),
            resident_ref="00000000-0000-4000-8000-000000000000",
            detail={"n": n},
        )
