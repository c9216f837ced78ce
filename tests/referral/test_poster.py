"""Posters: a PNG of the expected size, cached per share; a missing CJK font is a clear 503."""

import io

from PIL import Image

from quanzi.core.config import get_settings
from quanzi.referral import poster
from tests.referral.conftest import approved_promoter, share_product


def test_poster_is_a_png_of_the_expected_size_and_cached(client):
    code = share_product(approved_promoter(name="小美"))
    response = client.get(f"/api/v1/shares/{code}/poster.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (poster.WIDTH, poster.HEIGHT)
    (cached,) = (get_settings().data_dir / "posters").glob(f"{code}-*.png")
    assert cached.read_bytes() == response.content


def test_poster_draws_chinese_glyphs_not_boxes():
    font = poster.font_path()
    from PIL import ImageFont

    face = ImageFont.truetype(str(font), 36)
    assert face.getmask("上海青").getbbox() != face.getmask("\uffff\uffff\uffff").getbbox()


def test_poster_of_unknown_share_is_404(client):
    response = client.get("/api/v1/shares/ZZZZZZZZZZ/poster.png")
    assert response.status_code == 404
    assert client.get("/api/v1/shares/bad!code/poster.png").status_code == 404


def test_missing_font_is_a_clear_503(client, monkeypatch, tmp_path):
    code = share_product(approved_promoter())
    monkeypatch.setenv("QUANZI_CJK_FONT", str(tmp_path / "nope.ttc"))
    response = client.get(f"/api/v1/shares/{code}/poster.png")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "font_missing"
    assert "fonts-wqy-microhei" in response.json()["error"]["message"]
    assert not (get_settings().data_dir / "posters" / f"{code}.png").exists()
