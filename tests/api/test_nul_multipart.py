"""The NUL guard reads a multipart body's text fields, never a file's bytes (a photo holds
NUL bytes), whatever the case of the boundary the browser chose."""

from quanzi.api.nul_guard import body_has_nul

TYPE = b"multipart/form-data; boundary=----WebKitFormBoundaryAbC9xY"


def _body(reason: bytes, photo: bytes) -> bytes:
    dash = b"------WebKitFormBoundaryAbC9xY"
    return (dash + b'\r\nContent-Disposition: form-data; name="reason"\r\n\r\n' + reason
            + b"\r\n" + dash + b'\r\nContent-Disposition: form-data; name="photos";'
            b' filename="box.jpg"\r\nContent-Type: image/jpeg\r\n\r\n' + photo + b"\r\n"
            + dash + b"--\r\n")


def test_a_photo_may_hold_nul_bytes():
    assert not body_has_nul(_body(b"broken box", b"\xff\xd8\x00\x00\x10JFIF"), TYPE)


def test_a_text_field_may_not():
    assert body_has_nul(_body(b"broken\x00box", b"\xff\xd8\xff"), TYPE)


def test_a_body_whose_boundary_is_not_found_is_read_whole():
    assert body_has_nul(_body(b"ok", b"\x00"), b"multipart/form-data; boundary=other")
