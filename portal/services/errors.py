"""The one kind of refusal a service raises, and what a view does with it.

A service refuses with `ServiceError(field, message)`: `message` is already translated and
`field` names the form field it belongs to (None: the message is for the whole page). An
error that concerns several fields at once lists them in `problems`. Views never catch these
one by one: `portal.forms.attempt()` rolls the transaction back and puts every message next
to its field, or in a flash when the page has no such field.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l


class ServiceError(Exception):
    """A refusal the user can act on."""

    def __init__(self, field: str | None, message: str):
        super().__init__(str(message))
        self.field = field
        self.message = message

    @property
    def problems(self) -> list[tuple[str | None, str]]:
        """Every (field, message) pair this refusal carries."""
        return [(self.field, self.message)]


class InvalidInput(ServiceError):
    """Several fields refused at once: `problems` is a list of (field, message)."""

    def __init__(self, problems: Iterable[tuple[str | None, str]]):
        pairs = list(problems)
        field, message = pairs[0] if pairs else (None, str(_l("The input was refused.")))
        super().__init__(field, message)
        self._problems = pairs or [(field, message)]

    @property
    def problems(self) -> list[tuple[str | None, str]]:
        return list(self._problems)


class NotAllowed(ServiceError):
    """The user may not take this step on this record (the view answers 403)."""

    def __init__(self, message: str | None = None):
        super().__init__(None, message or str(_l("You may not do this.")))


class NotFound(ServiceError):
    """No such record, or one the user may not see (the view answers 404)."""

    def __init__(self, message: str | None = None):
        super().__init__(None, message or str(_l("Not found.")))


class StaleRecord(ServiceError):
    """Someone else changed the record since the form was opened."""

    def __init__(self, message: str | None = None, field: str | None = None):
        super().__init__(
            field,
            message
            or str(_l("Someone else changed this record meanwhile. Check it and try again.")),
        )
