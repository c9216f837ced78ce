"""The error hierarchy, drawn once. Services raise these; delivery layers map them.

Each error has an HTTP status and a stable ``code`` that clients can switch on; an
error that carries more for clients to act on names it in :meth:`QuanziError.fields`
(the API adds those beside ``code`` and ``message``).
"""

Field = int | str | bool | None  # a value an error hands to clients beside its message


class QuanziError(Exception):
    status = 400
    code = "bad_request"
    retry_after: int | None = None  # seconds, sent as Retry-After when set

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def fields(self) -> dict[str, Field]:
        """What the error body carries beside ``code`` and ``message``, by name: nothing
        here; a subclass that knows more for the client to act on says it (a batch's
        ``cut_off`` names ``next_batch_id``). The names never clash with ``code``,
        ``message`` or ``details``."""
        return {}


class InvalidInput(QuanziError):
    """The request is well-formed but breaks a rule (422)."""

    status = 422
    code = "invalid"


class Unauthenticated(QuanziError):
    status = 401
    code = "unauthenticated"


class Forbidden(QuanziError):
    """Signed in, but this role may not do this (403)."""

    status = 403
    code = "forbidden"


class NotFound(QuanziError):
    """No such thing, or not one the caller may know about (404)."""

    status = 404
    code = "not_found"


class TooLarge(QuanziError):
    """An upload over its size limit (413): a photo larger than allowed."""

    status = 413
    code = "too_large"


class Conflict(QuanziError):
    """The thing exists but its state forbids this now (409): illegal transition, sold out."""

    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    """An illegal move of a state machine: "cannot ship an order that is completed", and
    after a colon the ``reason`` when the state's name alone does not say it."""

    code = "invalid_transition"

    def __init__(self, entity: str, current: str, action: str, *,
                 reason: str | None = None) -> None:
        article = "an" if entity[:1] in "aeiou" else "a"
        message = f"cannot {action} {article} {entity} that is {current}"
        super().__init__(f"{message}: {reason}" if reason else message)
        self.current = current


class PaymentRefused(QuanziError):
    """A payment callback that must not be acted upon (bad signature, stale, wrong amount)."""

    status = 400
    code = "payment_refused"


class RateLimited(QuanziError):
    """Too many attempts from this account, address or user in the window (429).

    ``retry_after`` is how many seconds until the next attempt may pass.
    """

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class ServerBusy(QuanziError):
    """The server is at capacity for this kind of work right now (503); retry shortly."""

    status = 503
    code = "server_busy"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
