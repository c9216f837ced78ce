"""``quanzi demo``: the demo shop, one user per role (three leaders, each running a pickup
point, with an open community batch of groceries) and one live campaign of each kind
(safe to run twice), then a full analytics rollup so the operator's dashboard has its
figures without a worker."""

from dataclasses import dataclass, field

from sqlalchemy import select

from quanzi.accounts.identity import Identity
from quanzi.accounts.models import User
from quanzi.analytics import rollup
from quanzi.campaigns.demo import CampaignsSummary, load_demo_campaigns
from quanzi.catalog.demo import FRESH, DemoSummary, demo_supplier_ids
from quanzi.catalog.demo import load_demo as load_catalog
from quanzi.community.demo import CommunitySummary, load_demo_community
from quanzi.core.db import read_session
from quanzi.provisioning import create_with_role

PASSWORD = "quanzi-demo"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    login: str
    name: str


@dataclass
class Summary:
    catalog: DemoSummary
    users_created: int
    campaigns: CampaignsSummary | None = None
    community: CommunitySummary | None = None
    password: str = PASSWORD
    logins: list[DemoLogin] = field(default_factory=list)

    def describe(self) -> str:
        c = self.catalog
        made = self.campaigns.created if self.campaigns else 0
        points = self.community.points_created if self.community else 0
        batch = 1 if self.community and self.community.batch_created else 0
        return (f"demo shop: {c.suppliers} suppliers, {c.products} products "
                f"({c.products_created} new), {self.users_created} new users, "
                f"{made} new campaigns, {points} new pickup points, {batch} new batches")


USERS = [  # role, e-mail, phone, name
    ("operator", "operator@demo.quanzi.cn", None, "平台运营 小林"),
    ("supplier", "supplier@demo.quanzi.cn", None, "绿源生鲜 王经理"),
    ("promoter", "promoter@demo.quanzi.cn", None, "推客 阿花"),
    ("leader", "leader@demo.quanzi.cn", None, "团长 李阿姨"),
    ("leader", "leader2@demo.quanzi.cn", None, "团长 王师傅"),
    ("leader", "leader3@demo.quanzi.cn", None, "团长 赵姐"),
    ("consumer", "consumer@demo.quanzi.cn", "13800138000", "顾客 小陈"),
]


def load_demo() -> Summary:
    catalog = load_catalog()
    fresh_id = demo_supplier_ids()[FRESH]
    created = 0
    logins = []
    for role, email, phone, name in USERS:
        with read_session() as session:
            exists = session.scalar(select(User.id).where(User.email == email))
        if exists is None:  # the promoter is approved, ready to share
            create_with_role(role=role, name=name, password=PASSWORD, email=email, phone=phone,
                             supplier_id=fresh_id if role == "supplier" else None)
            created += 1
        logins.append(DemoLogin(role, email if phone is None else f"{email} / {phone}", name))
    campaigns = load_demo_campaigns(by=_operator(), supplier_id=fresh_id)
    community = load_demo_community(operator=_operator(), leader_ids=_leaders(),
                                    supplier_id=fresh_id)
    rollup.sweep(full=True)
    return Summary(catalog=catalog, users_created=created, campaigns=campaigns, logins=logins,
                   community=community)


def _leaders() -> list[int]:
    """The demo leaders' user ids, the demo leader login first."""
    emails = [email for role, email, _, _ in USERS if role == "leader"]
    with read_session() as session:
        found = dict(session.execute(select(User.email, User.id)
                                     .where(User.email.in_(emails))).all())
    return [found[email] for email in emails if email in found]


def _operator() -> Identity:
    """The demo operator, who configures the demo campaigns."""
    with read_session() as session:
        user = session.scalars(select(User).where(User.email == USERS[0][1])).one()
        return Identity(id=user.id, name=user.name, roles=tuple(user.roles), supplier_id=None)
