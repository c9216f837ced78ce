"""/api/v1/auth, /api/v1/me and addresses."""

from fastapi import APIRouter, Request, Response

from quanzi.accounts import services
from quanzi.accounts.schemas import (
    AddressIn,
    AddressList,
    AddressOut,
    LoginIn,
    RegisterIn,
    TokenOut,
    UserOut,
)
from quanzi.api.deps import CurrentUser, Id, ReadSession, bearer_token
from quanzi.api.errors import ERROR_RESPONSES, LIMITED_RESPONSES
from quanzi.core.http import client_ip

router = APIRouter(tags=["accounts"], responses=ERROR_RESPONSES)


@router.post("/auth/register", status_code=201, response_model=UserOut,
             responses=LIMITED_RESPONSES)
def register(data: RegisterIn, request: Request) -> UserOut:
    """422 ``weak_password`` for a password too easy to guess; 429 ``rate_limited``."""
    return services.register(data, client_ip=client_ip(request))


@router.post("/auth/login", response_model=TokenOut, responses=LIMITED_RESPONSES)
def login(data: LoginIn, request: Request) -> TokenOut:
    """429 ``rate_limited`` (with Retry-After) past the attempts allowed for the account
    or the address; 503 ``server_busy`` when too many sign-ins are being checked."""
    return services.login(data.login, data.password, client_ip=client_ip(request))


@router.post("/auth/logout", status_code=204)
def logout(request: Request, _: CurrentUser) -> Response:
    token = bearer_token(request)
    if token:
        services.logout(token)
    return Response(status_code=204)


@router.get("/me", response_model=UserOut)
def me(user: CurrentUser, session: ReadSession) -> UserOut:
    return services.user_out(services.get_user(session, user.id))


@router.get("/me/addresses", response_model=AddressList)
def my_addresses(user: CurrentUser, session: ReadSession) -> AddressList:
    return AddressList(items=services.list_addresses(session, user.id))


@router.post("/me/addresses", status_code=201, response_model=AddressOut)
def add_address(data: AddressIn, user: CurrentUser) -> AddressOut:
    return services.add_address(user.id, data)


@router.post("/me/addresses/{address_id}/default", response_model=AddressOut)
def make_default(address_id: Id, user: CurrentUser) -> AddressOut:
    return services.set_default_address(user.id, address_id)


@router.delete("/me/addresses/{address_id}", status_code=204)
def delete_address(address_id: Id, user: CurrentUser) -> Response:
    services.delete_address(user.id, address_id)
    return Response(status_code=204)
