"""Speed on a phone network without a browser: compression, cache headers, fingerprinted
asset URLs and product thumbnails."""

import io
import re

from PIL import Image

from quanzi.catalog import thumbnails
from quanzi.catalog.schemas import ProductCreate, SkuCreate
from quanzi.catalog.services import add_product
from quanzi.core.config import get_settings
from quanzi.core.db import transaction
from quanzi.referral import services as referral
from quanzi.referral import shares, shops
from quanzi.referral.schemas import ShopIn
from quanzi.web.kit.assets import IMMUTABLE, Assets
from tests.factories import make_supplier, make_user

GZIP = {"Accept-Encoding": "gzip"}
PLAIN = {"Accept-Encoding": "identity"}


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+\?v=[0-9a-f]+)"', html)


def _product_with_picture(name: str = "pic.png", size: tuple[int, int] = (600, 400)) -> int:
    """A product whose picture ``media/products/<name>`` is ``size`` (width, height)."""
    folder = get_settings().data_dir / "media" / "products"
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 120, 40)).save(folder / name)
    with transaction() as session:
        product = add_product(session, ProductCreate(
            supplier_id=make_supplier(), title="赣南脐橙", images=[f"/media/products/{name}"],
            skus=[SkuCreate(spec="2kg", price_fen=5000, stock=20)]))
        return product.id


def test_a_page_is_gzipped_when_the_client_asks_and_plain_otherwise(client):
    _product_with_picture()
    zipped = client.get("/", headers=GZIP)
    plain = client.get("/", headers=PLAIN)
    assert zipped.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in zipped.headers["vary"].lower()
    assert int(zipped.headers["content-length"]) < len(zipped.content) * 0.7
    assert "content-encoding" not in plain.headers
    assert int(plain.headers["content-length"]) == len(plain.content)
    assert zipped.text.count("赣南脐橙") == plain.text.count("赣南脐橙") > 0


def test_static_files_are_gzipped_with_a_weak_etag_that_still_revalidates(client):
    css = client.get("/static/quanzi.css", headers=GZIP)
    assert css.headers["content-encoding"] == "gzip" and ".card" in css.text
    etag = css.headers["etag"]
    assert etag.startswith('W/"')
    again = client.get("/static/quanzi.css", headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304
    plain = client.get("/static/quanzi.css", headers=PLAIN)
    assert "content-encoding" not in plain.headers and not plain.headers["etag"].startswith("W/")


def test_tiny_bodies_and_pictures_are_sent_as_they_are(client):
    health = client.get("/healthz", headers=GZIP)
    assert health.json() == {"status": "ok"} and "content-encoding" not in health.headers
    _product_with_picture()
    png = client.get("/media/products/pic.png", headers=GZIP)
    assert png.status_code == 200 and "content-encoding" not in png.headers


def test_the_share_redirect_still_answers_with_gzip_asked(client):
    user = make_user()
    promoter = referral.apply(user_id=user.id)
    referral.approve(operator_id=make_user("operator").id, promoter_id=promoter.id)
    share = shares.create_share(promoter_user_id=user.id, product_id=_product_with_picture())
    redirect = client.get(f"/s/{share.code}", headers=GZIP, follow_redirects=False)
    assert redirect.status_code == 302 and "content-encoding" not in redirect.headers


def test_assets_are_fingerprinted_and_cached_for_a_year(client):
    page = client.get("/")
    urls = _asset_urls(page.text)
    assert {u.split("?")[0] for u in urls} == {
        "/static/quanzi.css", "/static/quanzi.js", "/static/htmx/htmx.min.js"}
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200 and answer.headers["cache-control"] == IMMUTABLE
    htmx = client.get(next(u for u in urls if "htmx" in u))
    assert "htmx" in htmx.text[:2000]
    stale = client.get("/static/quanzi.css?v=000000000000")
    bare = client.get("/static/quanzi.css")
    assert stale.headers["cache-control"] == bare.headers["cache-control"] == "no-cache"


def test_pages_are_private_and_revalidated(client):
    assert client.get("/").headers["cache-control"] == "private, no-cache"
    assert client.get("/login").headers["cache-control"] == "private, no-cache"
    assert client.get("/p/999").headers["cache-control"] == "private, no-cache"  # the 404 page


def test_a_changed_file_gets_a_new_fingerprint(tmp_path):
    (tmp_path / "app.css").write_text("body { color: red }")
    assets = Assets("/static", directory=tmp_path)
    first = assets.url("app.css")
    assert first == assets.url("app.css") and re.fullmatch(r"/static/app\.css\?v=\w{12}", first)
    (tmp_path / "app.css").write_text("body { color: blue; }")
    assert assets.url("app.css") != first


def test_the_swagger_assets_are_fingerprinted(client):
    docs = client.get("/docs").text
    (bundle,) = re.findall(r"/static/docs/swagger-ui-bundle\.js\?v=[0-9a-f]+", docs)
    answer = client.get(bundle, headers=GZIP)
    assert answer.headers["cache-control"] == IMMUTABLE
    assert answer.headers["content-encoding"] == "gzip"


def test_product_lists_show_square_webp_thumbnails_with_their_size(client):
    _product_with_picture(size=(600, 400))
    home = client.get("/").text
    (img,) = re.findall(r'<img class="card-image"[^>]*>', home)
    assert 'src="/media/thumbs/240/products/pic.png.webp"' in img
    assert "/media/thumbs/480/products/pic.png.webp 480w" in img
    assert 'width="240"' in img and 'height="240"' in img
    for width in thumbnails.WIDTHS:
        answer = client.get(f"/media/thumbs/{width}/products/pic.png.webp")
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/webp"
        with Image.open(io.BytesIO(answer.content)) as picture:
            assert picture.format == "WEBP" and picture.size == (width, width)


def test_the_product_page_shows_its_gallery_as_webp_thumbnails_never_the_original(client):
    product_id = _product_with_picture(size=(1200, 1200))
    page = client.get(f"/p/{product_id}").text
    (img,) = re.findall(r'<img class="gallery-image"[^>]*>', page)
    assert 'src="/media/thumbs/480/products/pic.png.webp"' in img
    assert "/media/thumbs/750/products/pic.png.webp 750w" in img
    assert "/media/products/pic.png\"" not in img and "loading" not in img


def test_a_thumbnail_is_made_once(client):
    _product_with_picture()
    url = "/media/thumbs/240/products/pic.png.webp"
    client.get(url)
    made = get_settings().data_dir / "thumbs" / "240" / "products" / "pic.png.webp"
    first = made.stat().st_mtime_ns
    assert client.get(url).status_code == 200 and made.stat().st_mtime_ns == first


def test_the_micro_shop_shows_thumbnails(client):
    pid = _product_with_picture()
    user = make_user()
    promoter = referral.apply(user_id=user.id)
    referral.approve(operator_id=make_user("operator").id, promoter_id=promoter.id)
    shop = shops.save_shop(promoter_user_id=user.id, data=ShopIn(name="小美的果园"))
    shops.set_items(promoter_user_id=user.id, product_ids=[pid])
    page = client.get(f"/shop/{shop.code}").text
    assert re.search(r'<img class="card-image" src="/media/thumbs/240/products/pic\.png\.webp"'
                     r'[^>]* width="240" height="240"', page)


def test_no_thumbnail_for_another_width_a_missing_picture_or_a_path_outside(client):
    _product_with_picture()
    for url in ("/media/thumbs/300/products/pic.png.webp",
                "/media/thumbs/240/products/gone.png.webp",
                "/media/thumbs/240/products/pic.png",
                "/media/thumbs/240/../secret_key.webp",
                "/media/thumbs/240/..%2F..%2Fsecret_key.webp"):
        assert client.get(url).status_code == 404, url
    assert not (get_settings().data_dir / "thumbs" / "300").exists()


def test_a_picture_from_another_site_is_shown_as_it_is():
    from quanzi.web.kit.thumbs import thumb

    assert thumb("https://img.example.cn/a.jpg", 240) == "https://img.example.cn/a.jpg"
    assert thumb("/media/a.png", 480) == "/media/thumbs/480/a.png.webp"
