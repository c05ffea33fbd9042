"""Who runs an audit command: the operating-system user, as the audit event's actor."""

import getpass

from audit.context import AuditContext


def command_context() -> AuditContext:
    return AuditContext.system(f"command:{_os_user()}")


def _os_user() -> str:
    try:
        return getpass.getuser()[:100]
    except (KeyError, OSError):
        return "unknown"
