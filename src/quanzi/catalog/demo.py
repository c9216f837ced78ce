"""Demo catalog: three suppliers and thirty products with pictures.

``load_demo()`` is safe to run any number of times: suppliers are matched by name
and products by (supplier, title), so a second run creates nothing. Users are not
made here; ``demo_supplier_ids()`` gives the ids to attach demo supplier users to.
"""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quanzi.catalog import demo_images, search, services
from quanzi.catalog.models import Product, Supplier
from quanzi.catalog.queries import supplier_ids_by_name
from quanzi.catalog.schemas import ProductCreate, SkuCreate
from quanzi.core.config import get_settings
from quanzi.core.db import read_session, transaction

FRESH, SNACKS, HOUSEHOLD = "绿源生鲜", "好味零食铺", "洁家日用"

# supplier -> [(title, category, description, [(spec, price_fen, stock)])]
DEMO: dict[str, list[tuple[str, str, str, list[tuple[str, int, int]]]]] = {
    FRESH: [
        ("新鲜上海青", "蔬菜", "本地大棚种植，清晨采摘，叶片翠绿，清炒、煮面都好吃。",
         [("500g", 390, 200), ("1kg", 690, 120)]),
        ("五常大米 稻花香", "粮油", "黑龙江五常产区当季新米，米粒饱满，蒸出来香软有嚼劲。",
         [("5kg", 6990, 80), ("10kg", 12900, 40)]),
        ("阳澄湖大闸蟹 公4两母3两", "海鲜水产", "阳澄湖产区直发，鲜活捆扎，顺丰冷链到家。",
         [("4只装", 19800, 30), ("8只装", 36800, 15)]),
        ("赣南脐橙", "水果", "果肉细嫩、汁多化渣，甜度13度以上，坏果包赔。",
         [("2.5kg", 2990, 150), ("5kg", 4990, 90)]),
        ("农家散养土鸡蛋", "蛋禽", "山林散养，每天新鲜收取，蛋黄颜色自然。",
         [("30枚", 3280, 100)]),
        ("烟台红富士苹果", "水果", "山东烟台栖霞果园，脆甜多汁，一果一袋。",
         [("3kg", 2590, 110), ("5kg", 3990, 70), ("10kg", 7290, 20)]),
        ("云南小土豆", "蔬菜", "高原黄心小土豆，软糯香甜，适合烤、炖、做土豆泥。",
         [("2.5kg", 1290, 160)]),
        ("内蒙古羔羊肉卷", "肉禽", "锡林郭勒草原羔羊，肥瘦相间，涮火锅不膻。",
         [("500g", 3990, 60), ("1kg", 7500, 40)]),
        ("鲜活基围虾", "海鲜水产", "当日捕捞，充氧活运，白灼最鲜。",
         [("500g", 4990, 50)]),
        ("山东沙瓤西红柿", "蔬菜", "自然成熟不催红，沙瓤多汁，生吃炒蛋都合适。",
         [("500g", 450, 180), ("1.5kg", 1190, 90)]),
    ],
    SNACKS: [
        ("柳州螺蛳粉", "方便速食", "广西柳州原汤螺蛳粉，酸笋、腐竹、花生料包齐全。",
         [("3袋装", 2990, 300), ("6袋装", 5500, 150)]),
        ("每日坚果 混合果仁", "坚果炒货", "腰果、巴旦木、榛子、蔓越莓干科学配比，独立小包。",
         [("7袋装", 3990, 200), ("30袋装", 13900, 60)]),
        ("靖江猪肉脯", "肉干肉脯", "精选猪后腿肉，炭火烘烤，甜咸适口。",
         [("200g", 2580, 120), ("500g", 5900, 60)]),
        ("麻辣大面筋辣条", "辣条", "经典麻辣口味，劲道有嚼劲，追剧必备。",
         [("3袋装", 1290, 400)]),
        ("原切薯片 番茄味", "膨化食品", "整片土豆原切，非油炸更轻盈。",
         [("70g×3袋", 1590, 250), ("70g×6袋", 2990, 120)]),
        ("海苔脆片", "膨化食品", "夹心海苔脆片，芝麻杏仁两种口味。",
         [("40g", 990, 220)]),
        ("流心蛋黄酥", "糕点", "咸蛋黄配红豆沙，层层起酥，当天现烤发货。",
         [("6枚装", 2680, 90), ("12枚装", 4980, 50)]),
        ("重庆酸辣粉", "方便速食", "红薯粉条爽滑劲道，酸辣开胃，五分钟出锅。",
         [("3袋装", 1990, 260)]),
        ("风干牛肉干", "肉干肉脯", "内蒙古风干工艺，手撕有嚼劲，原味香辣可选。",
         [("250g", 4990, 80), ("500g", 9290, 40)]),
        ("奶油味夏威夷果", "坚果炒货", "大颗粒夏威夷果，开口易剥，奶香浓郁。",
         [("500g", 3590, 140)]),
    ],
    HOUSEHOLD: [
        ("洗衣凝珠 除菌除螨", "洗衣用品", "三腔配方，洁净、除菌、护色一颗搞定，温水冷水都能溶。",
         [("52颗", 4990, 150), ("100颗", 8990, 80)]),
        ("原木抽纸 4层加厚", "纸品", "100%原生木浆，柔韧不掉屑，母婴可用。",
         [("12包", 2990, 200), ("24包", 5490, 100)]),
        ("厨房纸巾 吸油吸水", "纸品", "加厚不易破，吸油吸水，可擦拭可垫盘。",
         [("6卷", 2290, 160)]),
        ("柠檬洗洁精", "厨房清洁", "食品级配方，去油不伤手，果蔬餐具都能洗。",
         [("1.5kg", 1690, 220), ("1.5kg×2瓶", 2990, 120)]),
        ("加厚抽绳垃圾袋", "清洁用品", "自动收口，加厚不漏，厨房卧室通用。",
         [("100只", 1990, 300), ("200只", 3590, 150)]),
        ("清新薄荷牙膏", "个人护理", "含氟防蛀，薄荷清新口气。",
         [("120g×3支", 2490, 180)]),
        ("婴儿手口湿巾", "纸品", "纯水配方无酒精，80抽大包装，带盖不易干。",
         [("80抽×5包", 2990, 140), ("80抽×10包", 5490, 70)]),
        ("食品级保鲜袋", "厨房用品", "加厚耐撕，冷藏冷冻都可用，大中小三种尺寸。",
         [("300只", 1890, 200)]),
        ("氨基酸洗发水", "个人护理", "温和氨基酸表活，控油蓬松，不含硅油。",
         [("500ml", 4590, 90), ("500ml×2瓶", 7990, 45)]),
        ("含氯消毒液", "清洁用品", "有效杀灭细菌病毒，稀释后可用于地面和衣物消毒。",
         [("1L", 1290, 160), ("1L×3瓶", 3290, 80)]),
    ],
}


@dataclass(frozen=True)
class DemoSummary:
    """What ``load_demo`` did (``*_created``) and how much demo data now exists."""

    suppliers_created: int
    products_created: int
    skus_created: int
    suppliers: int
    products: int


def media_folder() -> Path:
    """Where product pictures live on disk; served as ``/media/products/``."""
    return get_settings().data_dir / "media" / "products"


def _ensure_images() -> dict[str, str]:
    """Draw any missing picture; ``{title: "/media/products/<file>.png"}``."""
    folder = media_folder()
    folder.mkdir(parents=True, exist_ok=True)
    urls = {}
    for products in DEMO.values():
        for title, *_ in products:
            name = demo_images.file_name(title)
            if not (folder / name).is_file():
                demo_images.draw(title, folder / name)
            urls[title] = f"/media/products/{name}"
    return urls


def _supplier(session: Session, name: str) -> tuple[int, bool]:
    """The supplier's id, and whether it was created now."""
    found = session.scalar(select(Supplier.id).where(Supplier.name == name))
    if found is not None:
        return found, False
    return services.add_supplier(session, name=name).id, True


def load_demo() -> DemoSummary:
    """Create the demo suppliers and products that are missing, in one transaction."""
    images = _ensure_images()
    search.tokenizer()  # load jieba before taking the write lock
    made = {"suppliers": 0, "products": 0, "skus": 0}
    with transaction() as session:
        for name, products in DEMO.items():
            supplier_id, created = _supplier(session, name)
            made["suppliers"] += created
            existing = set(session.scalars(
                select(Product.title).where(Product.supplier_id == supplier_id)))
            for title, category, description, skus in products:
                if title in existing:
                    continue
                services.add_product(session, ProductCreate(
                    supplier_id=supplier_id, title=title, category=category,
                    description=description, images=[images[title]],
                    skus=[SkuCreate(spec=s, price_fen=p, stock=n) for s, p, n in skus]))
                made["products"] += 1
                made["skus"] += len(skus)
        ids = supplier_ids_by_name(session, list(DEMO))
        total = session.scalar(select(func.count()).select_from(Product).where(
            Product.supplier_id.in_(ids.values()),
            Product.title.in_([t for ps in DEMO.values() for t, *_ in ps]))) or 0
    return DemoSummary(suppliers_created=made["suppliers"], products_created=made["products"],
                       skus_created=made["skus"], suppliers=len(ids), products=total)


def demo_supplier_ids() -> dict[str, int]:
    """``{supplier name: id}`` of the demo suppliers that exist (all three after ``load_demo``)."""
    with read_session() as session:
        return supplier_ids_by_name(session, list(DEMO))
