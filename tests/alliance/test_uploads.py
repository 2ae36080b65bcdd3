import pytest

from alliance.uploads import safe_filename


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("selvitys.pdf", "selvitys.pdf"),
        ("jobs/2026/12/esityslista.pdf", "esityslista.pdf"),
        ("C:\\Users\\x\\muistio.docx", "muistio.docx"),
        ('a"b\r\nSet-Cookie: x.pdf', "abSet-Cookie: x.pdf"),
        ("Äänestys <1>.pdf", "Äänestys 1.pdf"),
        ("../..", "download"),
        ("", "download"),
    ],
)
def test_a_download_name_keeps_only_a_harmless_last_part(name, safe):
    assert safe_filename(name) == safe
