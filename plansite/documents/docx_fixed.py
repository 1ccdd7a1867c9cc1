"""Same data, same bytes: a .docx (a zip) rewritten with fixed entry dates, order and attributes."""
from __future__ import annotations

import datetime as dt
import io
import zipfile


def report_datetime(compiled: str) -> dt.datetime:
    """A report's fixed timestamp: midnight (UTC) of the day its figures were compiled."""
    return dt.datetime.combine(dt.date.fromisoformat(compiled), dt.time(), tzinfo=dt.timezone.utc)


def fix_package(data: bytes, when: dt.datetime) -> bytes:
    """The same parts in the same order, each dated `when` instead of the time it was zipped."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=when.timetuple()[:6])
            # Images are compressed already: stored as they are, the rest deflated.
            stored = item.filename.lower().endswith((".png", ".jpeg", ".jpg"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 3  # as written on Linux, wherever it is built
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename), compresslevel=None if stored else 6)
    return out.getvalue()
