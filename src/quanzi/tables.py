"""Imports every table so ``Base.metadata`` is complete (migrations, tests)."""

from quanzi.accounts import models as accounts_models
from quanzi.analytics import models as analytics_models
from quanzi.campaigns import models as campaigns_models
from quanzi.catalog import models as catalog_models
from quanzi.community import models as community_models
from quanzi.core import events, idempotency, lease
from quanzi.core.db import Base
from quanzi.ledger import models as ledger_models
from quanzi.orders import models as orders_models
from quanzi.payments import models as payments_models
from quanzi.referral import models as referral_models

__all__ = ["Base", "accounts_models", "analytics_models", "campaigns_models", "catalog_models",
           "community_models", "events", "idempotency", "lease", "ledger_models", "orders_models",
           "payments_models", "referral_models"]
