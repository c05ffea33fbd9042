"""The help text under every assessment field: what happens to it at finalisation.

ONE function, so the minimisation issue can replace its body with the policy's
rule text (the same text as the preview, the admin and the processing register).
"""

from django.utils.translation import gettext as _


def help_text_for(framework: str, domain_code: str, field_name: str) -> str:
    """Placeholder until the minimisation policy provides the rule text.

    framework: an intake.models.Framework value; domain_code: an instrument domain
    code; field_name: "score", "help_need" or "notes".
    """
    return _(
        "Bij het afronden bepaalt het minimalisatiebeleid of dit gegeven bewaard blijft; "
        "zonder bevestigde hulpvraag in dit domein wordt het vernietigd."
    )
