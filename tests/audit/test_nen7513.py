"""Every action has its NEN 7513 classification: an action added without one would make
each of its events fail to be written."""

from audit.models import Action
from audit.nen7513 import CLASSIFICATION


def test_every_action_has_its_nen7513_classification() -> None:
    assert set(CLASSIFICATION) == set(Action)
