"""The status moves of a nomination request, as one explicit table.

A request is sent; the organisation names someone (its own decision, recorded here);
the secretariat then adds that person as a member. A request may be withdrawn before
a member is added. The services of `services.py` make the moves and refuse any other.
"""

from django.utils.translation import gettext_lazy as _

from alliance.workflow import Transition, TransitionTable
from members.models import NominationRequest
from members.permissions import (
    can_appoint_nominee,
    can_record_nomination,
    can_withdraw_nomination,
)

Status = NominationRequest.Status

# The name of each move is the name of its service and of its URL.
NOMINATION_RECORD = Transition(
    name="nomination_record",
    source=Status.SENT,
    target=Status.NOMINATED,
    rule=can_record_nomination,
    label=_("Record the nomination"),
    done=_("The nomination was recorded."),
    needs_form=True,
)
NOMINATION_APPOINT = Transition(
    name="nomination_appoint",
    source=Status.NOMINATED,
    target=Status.APPOINTED,
    rule=can_appoint_nominee,
    label=_("Add the nominee as a member"),
    done=_("The nominee was added as a member."),
    needs_form=True,
)
NOMINATION_WITHDRAW = Transition(
    name="nomination_withdraw",
    source=Status.SENT,
    target=Status.WITHDRAWN,
    rule=can_withdraw_nomination,
    label=_("Withdraw the request"),
    done=_("The request was withdrawn."),
)
NOMINATION_WITHDRAW_AFTER_REPLY = Transition(
    name="nomination_withdraw",
    source=Status.NOMINATED,
    target=Status.WITHDRAWN,
    rule=can_withdraw_nomination,
    label=_("Withdraw the request"),
    done=_("The request was withdrawn."),
)

TRANSITIONS = TransitionTable(
    NOMINATION_RECORD,
    NOMINATION_APPOINT,
    NOMINATION_WITHDRAW,
    NOMINATION_WITHDRAW_AFTER_REPLY,
)
