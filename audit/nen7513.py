"""The NEN 7513 / Logboek Dataverwerkingen fields of an event, derived, never typed in.

From the action: EventTypeCode, EventActionCode and, for an event about data, the step in
the data's life cycle. From the policy, for an event that processes resident data (it
names a resident): the processing activity (the id of a block of rows of the processing
register, GDPR art. 30, which Logboek Dataverwerkingen asks each processing to name) and
the participant object's sensitivity. The policy sits above this bottom layer, so the
function that maps an event to its activity is named by the setting
AUDIT_PROCESSING_ACTIVITY_RESOLVER (`minimisation.register.processing_activity`). The
source system (AuditSourceID) is the installation's name, AUDIT_INSTALLATION_NAME.

The other NEN 7513 fields already have a column: EventDateTime `ts`, EventActionCode's
name `action`, EventOutcomeIndicator `outcome`, UserID/UserName `actor_id`/`actor`,
RoleIDCode `actor_role`, PurposeOfUse `purpose`, NetworkAccessPointID `source_ip`,
ParticipantObjectID `resident_ref` (ParticipantObjectIDTypeCode: always our
pseudonymous resident reference, a UUID), ParticipantObjectTypeCode `object_type`, and
the W3C trace context's part `request_id`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from audit.models import Action, DataLifeCycle, EventActionCode, EventType, Sensitivity

# (action, purpose, detail) -> (processing activity id, sensitivity)
ActivityResolver = Callable[[str, str, Mapping[str, Any]], tuple[str, Sensitivity]]

_BLANK: str = ""
CLASSIFICATION: dict[Action, tuple[EventType, EventActionCode, DataLifeCycle | str]] = {
    Action.LOGIN: (EventType.AUTHENTICATION, EventActionCode.EXECUTE, _BLANK),
    Action.LOGIN_FAILED: (EventType.AUTHENTICATION, EventActionCode.EXECUTE, _BLANK),
    Action.LOGOUT: (EventType.AUTHENTICATION, EventActionCode.EXECUTE, _BLANK),
    Action.READ: (EventType.ACCESS, EventActionCode.READ, DataLifeCycle.ACCESS),
    Action.SEARCH: (EventType.ACCESS, EventActionCode.READ, DataLifeCycle.ACCESS),
    Action.PREVIEW: (EventType.ACCESS, EventActionCode.READ, DataLifeCycle.ACCESS),
    Action.ADMIN_VIEW: (EventType.ACCESS, EventActionCode.READ, DataLifeCycle.ACCESS),
    Action.EXPORT: (EventType.ACCESS, EventActionCode.READ, DataLifeCycle.EXPORT),
    Action.CREATE: (EventType.CHANGE, EventActionCode.CREATE, DataLifeCycle.ORIGINATION),
    Action.UPDATE: (EventType.CHANGE, EventActionCode.UPDATE, DataLifeCycle.AMENDMENT),
    Action.REASSIGN: (EventType.CHANGE, EventActionCode.UPDATE, DataLifeCycle.AMENDMENT),
    # Finalising keeps what the policy allows and destroys the rest in one step.
    Action.FINALISE: (EventType.CHANGE, EventActionCode.UPDATE, DataLifeCycle.AMENDMENT),
    Action.DISCARD: (EventType.DESTRUCTION, EventActionCode.DELETE, DataLifeCycle.DESTRUCTION),
    Action.PURGE: (EventType.DESTRUCTION, EventActionCode.DELETE, DataLifeCycle.DESTRUCTION),
    Action.ACCESS_DENIED: (EventType.SECURITY, EventActionCode.EXECUTE, _BLANK),
    Action.LOAD_DEFINITIONS: (EventType.ADMINISTRATION, EventActionCode.EXECUTE, _BLANK),
    Action.PRUNE: (EventType.ADMINISTRATION, EventActionCode.DELETE, DataLifeCycle.DESTRUCTION),
    Action.CHECKPOINT: (EventType.ADMINISTRATION, EventActionCode.EXECUTE, _BLANK),
    # Separation of duties (accounts/grants.py): rights, not resident data.
    Action.ROLE_PROPOSED: (EventType.SECURITY, EventActionCode.CREATE, _BLANK),
    Action.ROLE_APPROVED: (EventType.SECURITY, EventActionCode.UPDATE, _BLANK),
    Action.ROLE_REJECTED: (EventType.SECURITY, EventActionCode.UPDATE, _BLANK),
    Action.ROLE_REVOKED: (EventType.SECURITY, EventActionCode.DELETE, _BLANK),
    # Re-wrapping every data key under a new key-encryption key (vault/rotation.py).
    Action.ROTATE_KEYS: (EventType.ADMINISTRATION, EventActionCode.EXECUTE, _BLANK),
}


def classify(
    action: Action, *, purpose: str, resident_ref: str, detail: Mapping[str, Any]
) -> dict[str, str]:
    """The derived columns of one event, by field name."""
    event_type, action_code, life_cycle = CLASSIFICATION[action]
    activity, sensitivity = "", ""
    if resident_ref:
        activity, sensitivity = _activity_resolver()(action.value, purpose, detail)
    return {
        "event_type": event_type.value,
        "event_action_code": action_code.value,
        "data_life_cycle": str(life_cycle),
        "sensitivity": str(sensitivity),
        "processing_activity": activity[:40],
        "source_system": str(settings.AUDIT_INSTALLATION_NAME)[:100],
    }


def _activity_resolver() -> ActivityResolver:
    # Looked up each time (a dictionary look-up once imported): the setting decides, also
    # when a test overrides it.
    resolver: ActivityResolver = import_string(settings.AUDIT_PROCESSING_ACTIVITY_RESOLVER)
    return resolver
