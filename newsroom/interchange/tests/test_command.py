"""import_comments on a terminal: a progress bar with the rate and the time left."""

import io

from django.core.management.base import OutputWrapper

from ..management.commands.import_comments import Bar


def test_the_bar_shows_the_share_done_the_rate_and_the_time_left():
    out = io.StringIO()
    bar = Bar(OutputWrapper(out))

    bar("read", 20_000_000, 80_000_000, 4.0)
    bar("import", 30_000, 100_000, 10.0)

    read, imported = out.getvalue().split("\r")[1:]
    assert read.startswith("read   [#######.......................] 20.0/80.0 MB")
    assert "5.0 MB/s  ETA 0:12" in read
    assert imported.startswith("import [#########.....................]")
    assert "30,000/100,000 comments  3,000/s  ETA 0:23" in imported
