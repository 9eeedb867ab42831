"""Chinese numerals as residents type them."""
import pytest

from handlers.cn_numbers import arabic, to_int


@pytest.mark.parametrize("run, value", [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23),
                                        ("一零二", 102), ("幺零三", 103), ("一百零二", 102), ("三百", 300),
                                        ("两千零五", 2005), ("〇", 0)])
def test_runs(run, value):
    assert to_int(run) == value


def test_text_keeps_everything_else():
    assert arabic("一单元一零二室") == "1单元102室"
    assert arabic("十二号楼") == "12号楼"
    assert arabic("３号楼") == "3号楼"
    assert to_int("三楼") is None
