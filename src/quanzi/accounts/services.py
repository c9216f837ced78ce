"""Use cases of accounts: the only code that changes users, tokens and addresses."""

from datetime import datetime

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quanzi.accounts import password_policy, sign_outs
from quanzi.accounts.domain import ROLES, looks_like_email, normalize_phone
from quanzi.accounts.identity import Identity
from quanzi.accounts.models import Address, AuthToken, User
from quanzi.accounts.schemas import AddressIn, AddressOut, RegisterIn, TokenOut, UserOut
from quanzi.core import clock, hashing, rate_limits, security
from quanzi.core.config import get_settings
from quanzi.core.db import single_read, transaction
from quanzi.core.errors import Conflict, InvalidInput, NotFound, Unauthenticated


def user_out(user: User) -> UserOut:
    return UserOut(id=user.id, name=user.name, roles=list(user.roles), email=user.email,
                   phone=user.phone, supplier_id=user.supplier_id)


def register(data: RegisterIn, *, client_ip: str | None = None) -> UserOut:
    """Create a consumer account. 429 past the registrations allowed from ``client_ip``;
    422 ``weak_password``; 409 if the e-mail or phone is taken."""
    if client_ip is not None:
        rate_limits.check(rate_limits.REGISTER, client_ip)
    return create_user(name=data.name, password=data.password, email=data.email,
                       phone=data.phone, roles=["consumer"])


def create_user(*, name: str, password: str, email: str | None = None,
                phone: str | None = None, roles: list[str] | None = None,
                supplier_id: int | None = None) -> UserOut:
    """Create a user with ``roles``; a supplier user must name its supplier. 422
    ``weak_password`` for a password that is too easy to guess. The password is hashed
    before the (short) transaction that writes the user."""
    roles = roles or ["consumer"]
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise InvalidInput(f"unknown role(s): {', '.join(sorted(unknown))}")
    if "supplier" in roles and supplier_id is None:
        raise InvalidInput("a supplier user belongs to a supplier: give supplier_id")
    if phone is not None and normalize_phone(phone) is None:
        raise InvalidInput("not a mainland China mobile number")
    check_password(password, email, phone, name)
    password_hash = hashing.hash_password(password)
    try:
        with transaction() as session:
            user = User(name=name, email=email.lower() if email else None,
                        phone=normalize_phone(phone) if phone else None,
                        password_hash=password_hash, roles=roles,
                        supplier_id=supplier_id, created_at=clock.now(), is_active=True)
            session.add(user)
            session.flush()
            return user_out(user)
    except IntegrityError as exc:
        raise Conflict("that e-mail or phone number is already registered",
                       code="already_registered") from exc


def check_password(password: str, *known: str | None) -> None:
    """422 ``weak_password`` (with the reason) unless ``password`` is hard enough to
    guess; ``known`` are the account's own e-mail, phone and name."""
    reason = password_policy.weakness(password, known)
    if reason is not None:
        raise InvalidInput(reason, code="weak_password")


def login_key(login: str) -> str | None:
    """The e-mail (lower case) or normalised phone a login names, None if it is neither."""
    return login.strip().lower() if looks_like_email(login) else normalize_phone(login)


def login(login: str, password: str, *, client_ip: str | None = None) -> TokenOut:
    """Check the password and issue a bearer token. 401 on any mismatch; 429 past the
    attempts allowed for this account or from ``client_ip``; 503 when too many hashes
    are running.

    The password is verified outside any transaction (the user is read, the session
    closed, then the hash checked), and a login that names no active account is
    checked against a dummy hash, so it takes as long as a wrong password.
    """
    key = login_key(login)
    if client_ip is not None:
        rate_limits.check(rate_limits.LOGIN_IP, client_ip)
    rate_limits.check(rate_limits.LOGIN, key or login.strip().lower()[:254])
    found = _login_candidate(key) if key is not None else None
    if found is None:
        hashing.verify_unknown(password)
        raise Unauthenticated("wrong login or password", code="bad_credentials")
    user_id, password_hash = found
    if not hashing.verify_password(password_hash, password):
        raise Unauthenticated("wrong login or password", code="bad_credentials")
    with transaction() as session:
        return _issue_token(session, user_id)


def _login_candidate(key: str) -> tuple[int, str] | None:
    """(id, password hash) of the active user with this e-mail or phone (one read)."""
    with single_read() as connection:
        row = connection.execute(
            select(User.id, User.password_hash)
            .where(or_(User.email == key, User.phone == key), User.is_active.is_(True))
        ).first()
    return (row.id, row.password_hash) if row is not None else None


def _issue_token(session: Session, user_id: int) -> TokenOut:
    token = security.new_token()
    ttl = get_settings().token_ttl
    now = clock.now()
    session.add(AuthToken(user_id=user_id, token_hash=security.token_digest(token),
                          created_at=now, expires_at=now + ttl))
    return TokenOut(access_token=token, expires_in=int(ttl.total_seconds()))


def logout(token: str) -> None:
    """Revoke ``token``; every cache of sign-ins drops it at once (``sign_outs``)."""
    digest = security.token_digest(token)
    with transaction() as session:
        session.execute(update(AuthToken).where(AuthToken.token_hash == digest)
                        .values(revoked_at=clock.now()))
    sign_outs.announce(token_digests=[digest])


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a live token belongs to, in one query."""
    return session.scalar(
        select(User).join(AuthToken, AuthToken.user_id == User.id)
        .where(AuthToken.token_hash == security.token_digest(token),
               AuthToken.revoked_at.is_(None), AuthToken.expires_at > clock.now(),
               User.is_active.is_(True))
    )


_SIGNED_IN = (  # built once: this runs on every signed-in request
    select(AuthToken.token_hash, AuthToken.expires_at, User.id, User.name, User.roles,
           User.supplier_id)
    .join(AuthToken, AuthToken.user_id == User.id)
    .where(AuthToken.token_hash.in_(bindparam("digests", expanding=True)),
           AuthToken.revoked_at.is_(None),
           AuthToken.expires_at > bindparam("now", type_=AuthToken.expires_at.type),
           User.is_active.is_(True))
)


def signed_in_users(tokens: list[str]) -> dict[str, Identity]:
    """token → the identity of the active users these live tokens
    belong to (unknown, expired or revoked tokens are left out): one statement on a
    connection of its own, outside a transaction."""
    return {token: user for token, (user, _) in signed_in_until(tokens).items()}


def signed_in_until(tokens: list[str]) -> dict[str, tuple[Identity, datetime]]:
    """``signed_in_users``, each with the moment its token expires."""
    digests = {security.token_digest(token): token for token in tokens}
    if not digests:
        return {}
    with single_read() as connection:
        rows = connection.execute(_SIGNED_IN, {"digests": list(digests),
                                               "now": clock.now()}).all()
    return {digests[row.token_hash]: (Identity(id=row.id, roles=tuple(row.roles),
                                               supplier_id=row.supplier_id, name=row.name),
                                      row.expires_at)
            for row in rows}


def signed_in_user(token: str | None) -> Identity | None:
    """The identity of a live bearer token (None for no token, or an unknown, expired or
    revoked one): one statement, outside a transaction."""
    if not token:
        return None
    return signed_in_users([token]).get(token)


def grant_role(session: Session, user_id: int, role: str) -> None:
    """Add ``role`` to a user (flushes). Used by other domains' services (promoter approval)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    if role not in user.roles:
        user.roles = [*user.roles, role]
        session.flush()
        sign_outs.after_commit(session, user_id)  # cached sign-ins hold the old roles


def set_active(login: str, active: bool) -> UserOut:
    """Disable a user (sign-in is refused; every token they hold is revoked, and stops
    working at once in every process that hears ``accounts.sign_outs``) or let them sign
    in again; 404 for an unknown e-mail or phone."""
    key = login_key(login)
    with transaction() as session:
        user = session.scalar(select(User).where(or_(User.email == key, User.phone == key))
                              .with_for_update()) if key else None
        if user is None:
            raise NotFound("no user with this e-mail or phone")
        if user.is_active != active:
            user.is_active = active
            session.flush()
            sign_outs.after_commit(session, user.id)
        if not active:
            session.execute(update(AuthToken).where(AuthToken.user_id == user.id,
                                                    AuthToken.revoked_at.is_(None))
                            .values(revoked_at=clock.now()))
        return user_out(user)


def add_address(user_id: int, data: AddressIn) -> AddressOut:
    """Add an address to the user's book; the first one, or one asked to be, is the
    default (the former default loses it)."""
    with transaction() as session:
        return address_out(_insert_address(session, user_id, data))


def remember_address(user_id: int, data: AddressIn) -> AddressOut:
    """Keep an address typed at checkout in the user's book, once: the same name, phone,
    region and detail already there are returned as they are (a retried checkout adds
    nothing). The user's row is locked first, so two racing checkouts add it once."""
    with transaction() as session:
        session.execute(select(User.id).where(User.id == user_id).with_for_update())
        same = session.scalar(select(Address).where(
            Address.user_id == user_id, Address.name == data.name, Address.phone == data.phone,
            Address.region == data.region, Address.detail == data.detail).limit(1))
        return address_out(same or _insert_address(session, user_id, data))


def _insert_address(session: Session, user_id: int, data: AddressIn) -> Address:
    has_any = session.scalar(select(Address.id).where(Address.user_id == user_id).limit(1))
    make_default = data.is_default or has_any is None
    if make_default:
        _clear_default(session, user_id)
    address = Address(user_id=user_id, name=data.name, phone=data.phone, region=data.region,
                      region_code=data.region_code, detail=data.detail,
                      is_default=make_default, created_at=clock.now())
    session.add(address)
    session.flush()
    return address


def set_default_address(user_id: int, address_id: int) -> AddressOut:
    with transaction() as session:
        address = _own_address(session, user_id, address_id)
        _clear_default(session, user_id, keep_id=address.id)
        address.is_default = True
        return address_out(address)


def delete_address(user_id: int, address_id: int) -> None:
    with transaction() as session:
        address = _own_address(session, user_id, address_id)
        was_default = address.is_default
        session.delete(address)
        session.flush()
        if was_default:
            successor = session.scalar(select(Address).where(Address.user_id == user_id)
                                       .order_by(Address.id.desc()).limit(1))
            if successor is not None:
                successor.is_default = True


def list_addresses(session: Session, user_id: int) -> list[AddressOut]:
    rows = session.scalars(select(Address).where(Address.user_id == user_id)
                           .order_by(Address.is_default.desc(), Address.id)).all()
    return [address_out(a) for a in rows]


def _own_address(session: Session, user_id: int, address_id: int) -> Address:
    address = session.get(Address, address_id)
    if address is None or address.user_id != user_id:
        raise NotFound("no such address")
    return address


def _clear_default(session: Session, user_id: int, keep_id: int | None = None) -> None:
    session.execute(update(Address)
                    .where(Address.user_id == user_id, Address.is_default,
                           Address.id != (keep_id or 0))
                    .values(is_default=False).execution_options(synchronize_session=False))


def address_out(address: Address) -> AddressOut:
    return AddressOut(id=address.id, name=address.name, phone=address.phone,
                      region=address.region, detail=address.detail,
                      is_default=address.is_default, region_code=address.region_code)


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    return user


def user_names(session: Session, user_ids: list[int]) -> dict[int, str]:
    """user id → name for the users among ``user_ids`` that exist (one query)."""
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


def users_by_id(session: Session, user_ids: list[int]) -> dict[int, UserOut]:
    """user id → the user, for those among ``user_ids`` that exist (one query)."""
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return {}
    return {u.id: user_out(u) for u in session.scalars(select(User).where(User.id.in_(wanted)))}


def staff_of(session: Session, supplier_ids: list[int]) -> dict[int, list[UserOut]]:
    """supplier id → its staff accounts (users with the supplier role), oldest first."""
    if not supplier_ids:
        return {}
    found: dict[int, list[UserOut]] = {}
    for user in session.scalars(select(User).where(User.supplier_id.in_(supplier_ids))
                                .order_by(User.id)):
        if "supplier" in user.roles and user.supplier_id is not None:
            found.setdefault(user.supplier_id, []).append(user_out(user))
    return found


def users_matching(session: Session, text: str, limit: int = 200) -> list[int]:
    """Ids of the users whose name contains ``text`` or whose phone contains its digits
    (at least 3 of them), at most ``limit``; none for an empty ``text``."""
    text = text.strip()
    if not text:
        return []
    found = User.name.contains(text, autoescape=True)
    digits = "".join(c for c in text if c.isdecimal())
    if len(digits) >= 3 and digits == text.replace(" ", ""):
        found = or_(found, User.phone.contains(digits, autoescape=True))
    return list(session.scalars(select(User.id).where(found).order_by(User.id).limit(limit)))


def address_snapshot(session: Session, user_id: int, address_id: int) -> dict[str, str]:
    """The user's saved address as it should be written on an order (404 if not theirs)."""
    address = _own_address(session, user_id, address_id)
    return {"name": address.name, "phone": address.phone, "region": address.region,
            "detail": address.detail}
