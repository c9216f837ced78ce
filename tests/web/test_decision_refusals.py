"""An operator's decision refused (decided meanwhile by someone else) shows the list again
with the reason, not an error page, and changes nothing."""

from quanzi.core.db import read_session
from quanzi.referral import queries
from quanzi.referral import services as referral
from tests.factories import make_user
from tests.web.helpers import form_post, sign_in


def test_a_promoter_decided_twice_says_why_on_the_list(client):
    applied = referral.apply(user_id=make_user().id, invite_code=None)
    sign_in(client, make_user("operator").email or "")
    page = "/operator/promoters"
    assert form_post(client, page, f"{page}/{applied.id}/approve").status_code == 303
    again = form_post(client, page, f"{page}/{applied.id}/reject", {"reason": "晚了"})
    assert again.status_code == 409
    assert 'data-testid="decision-refused"' in again.text and "<h1>推客审核</h1>" in again.text
    with read_session() as session:
        assert [p.id for p in queries.list_promoters(session, "approved")] == [applied.id]
