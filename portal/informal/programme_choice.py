"""One way to answer "continue or stop when the funded programme ends", for the member on his
own page and for his field agent on his behalf: continuing is one step; stopping ends cover,
so it is asked on the server first (issue 12) and can be taken back within a day."""

from __future__ import annotations

from flask import flash, redirect
from flask_babel import gettext as _

from ..models import Membership
from ..services.informal.continuation import check_stop, continue_self_paid, stop_after_batch
from ..services.undo import undo_window_words
from ..templating import format_day
from ..web.access import me
from ..web.confirmation import Confirmation, confirm_then_run
from ..web.forms import attempt
from .forms import ContinueForm


def answer_programme_choice(
    membership: Membership, home: str, *, question: str, stopped: str, continued: str
):
    """The POST of the choice: the question page for a stop, else a redirect to `home`."""
    form = ContinueForm()
    actor = me()
    if form.stop.data:
        step = confirm_then_run(
            form,
            check=lambda: check_stop(membership),
            ask=lambda batch: Confirmation(
                question=question,
                facts=[
                    (_("Membership"), membership.kpj or "-"),
                    (_("Last day of cover"), format_day(batch.period_end)),
                ],
                consequence=_(
                    "After that day nobody pays your dues: you are no longer covered for "
                    "work accidents and death."
                ),
                undo=_(
                    "You can take this choice back within %(window)s of confirming it.",
                    window=undo_window_words(),
                ),
                confirm_label=_("Yes, stop when the programme ends"),
                cancel_url=home,
            ),
            command=lambda: stop_after_batch(membership, actor),
        )
        answer = step.answer(stopped, home)
        if answer:
            return answer
        if step.error is not None:
            flash(step.error.message, "danger")
    elif form.validate_on_submit():
        saved, _value = attempt(
            lambda: continue_self_paid(membership, actor, with_jht=bool(form.with_jht.data))
        )
        if saved:
            flash(continued, "success")
    return redirect(home)
