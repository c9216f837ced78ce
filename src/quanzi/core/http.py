"""What both HTTP transports (``api/`` and ``web/``) read off a request the same way: the
caller's address, and the refusal of input that is turned away before it is parsed."""

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection

__all__ = ["InputRefused", "client_ip"]


def client_ip(request: HTTPConnection) -> str:
    """The address the request came from (the proxy's own, unless the server trusts its
    forwarded headers: ``uvicorn --forwarded-allow-ips``)."""
    return request.client.host if request.client else "unknown"


class InputRefused(HTTPException):
    """Input refused before it is parsed (a middleware's 422): an HTTPException, which
    FastAPI lets through while it reads a body, with the error ``code`` to answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status, message)
        self.code = code
