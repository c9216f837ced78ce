"""智能填写: a pasted address ("张三 13812345678 北京市朝阳区建国路88号") split into the
address form's fields.

jionlp finds the phone number and the province, city and district (old names changed to
today's), :mod:`quanzi.accounts.regions` gives their code; what is left is the name (a
short piece standing alone, no digits) and the detail. Nothing is saved and nothing is
refused: a field the text does not give comes back empty, for the buyer to fill in.

Example::

    guess("收货人：李四，13912345678，广东省深圳市南山区科苑路15号")
    # AddressGuess(name="李四", phone="13912345678", province="广东省", city="深圳市",
    #              district="南山区", region_code="440305", region="广东省 深圳市 南山区",
    #              detail="科苑路15号")
"""

import contextlib
import io
import re
from types import ModuleType

from quanzi.accounts import regions
from quanzi.accounts.domain import normalize_phone
from quanzi.accounts.schemas import AddressGuess

__all__ = ["MAX_TEXT", "guess"]

MAX_TEXT = 300
# the labels of the copy formats people paste from ("收货人：", "手机号码:", "详细地址：")
_LABELS = re.compile(r"(收货人|收件人|联系人|姓名|手机号码|手机号|手机|联系电话|电话|所在地区|"
                     r"详细地址|收货地址|地址)\s*[:：]")
_PIECES = re.compile(r"[\s,，;；、|/]+")
_NAME = re.compile(r"^[^\d\s]{2,5}$")  # 2 to 5 characters, no digits


def guess(text: str) -> AddressGuess:
    """The fields ``text`` gives (at most :data:`MAX_TEXT` characters are read)."""
    text = _LABELS.sub(" ", text[:MAX_TEXT])
    phone, text = _take_phone(text)
    pieces = [p for p in _PIECES.split(text) if p]
    name = next((p for p in pieces if _NAME.match(p) and not _is_place(p)), "")
    rest = " ".join(p for p in pieces if p is not name) if name else " ".join(pieces)
    found = _jionlp().parse_location(rest, town_village=False, change2new=True) if rest else {}
    names = [str(found.get(k) or "") for k in ("province", "city", "county")]
    place = regions.find(*names)
    path = [r.name for r in place.path] if place else []
    path += [""] * (3 - len(path))
    detail = str(found.get("detail") or "").strip() if place else rest
    return AddressGuess(name=name, phone=phone, province=path[0], city=path[1],
                        district=path[2], region_code=place.code if place else None,
                        region=place.text if place else "", detail=detail[:255])


def _take_phone(text: str) -> tuple[str, str]:
    """The first mainland mobile number in ``text`` and the text without it."""
    for found in _jionlp().extract_phone_number(text, detail=True):
        phone = normalize_phone(str(found["text"]).strip())
        if found.get("type") == "cell_phone" and phone:
            start, end = found["offset"]
            return phone, f"{text[:start]} {text[end:]}"
    return "", text


def _is_place(piece: str) -> bool:
    found = _jionlp().parse_location(piece, town_village=False, change2new=True)
    return bool(found.get("province"))


def _jionlp() -> ModuleType:
    with contextlib.redirect_stdout(io.StringIO()):  # it greets on import
        import jionlp
    return jionlp
