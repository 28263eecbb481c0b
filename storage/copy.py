"""PostgreSQL binary COPY of observation rows, built column-wise by numpy.

A text COPY spends most of its time in ``DataFrame.to_csv``; the binary stream is assembled from
structured arrays instead (one per byte length of period and status, since rows in a COPY may come
in any order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_PG_EPOCH_US = np.datetime64("2000-01-01T00:00:00", "us").astype(np.int64)
_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
_TRAILER = (-1).to_bytes(2, "big", signed=True)
COPY_SQL = ("COPY observations (series_id, period, realtime_start, value, batch_id, status) "
            "FROM STDIN (FORMAT BINARY)")


def observations_payload(frame: pd.DataFrame) -> bytes:
    """The binary COPY stream for columns series_id int4, period varchar, realtime_start timestamp,
    value float8, batch_id int4, status varchar."""
    sid = frame["series_id"].to_numpy(dtype=np.int64)
    bid = frame["batch_id"].to_numpy(dtype=np.int64)
    if len(frame) and (min(sid.min(), bid.min()) < -2**31 or max(sid.max(), bid.max()) >= 2**31):
        raise OverflowError("series_id / batch_id out of int4 range")
    rt = pd.to_datetime(frame["realtime_start"]).to_numpy(dtype="datetime64[us]").astype(np.int64) - _PG_EPOCH_US
    val = frame["value"].to_numpy(dtype=np.float64)
    period = frame["period"].astype(str).str.encode("utf-8")
    status = frame["status"].astype(str).str.encode("utf-8")
    key = period.str.len().to_numpy().astype(np.int64) * 1024 + status.str.len().to_numpy()
    parts = [_HEADER]
    for k in np.unique(key):
        idx = np.flatnonzero(key == k)
        lp, ls = int(k // 1024), int(k % 1024)
        rec = np.empty(len(idx), dtype=np.dtype([
            ("fields", ">i2"),
            ("l1", ">i4"), ("sid", ">i4"),
            ("l2", ">i4"), ("per", f"S{lp}" if lp else "V0"),
            ("l3", ">i4"), ("rt", ">i8"),
            ("l4", ">i4"), ("val", ">f8"),
            ("l5", ">i4"), ("bid", ">i4"),
            ("l6", ">i4"), ("st", f"S{ls}" if ls else "V0"),
        ]))
        rec["fields"] = 6
        rec["l1"], rec["l3"], rec["l4"], rec["l5"] = 4, 8, 8, 4
        rec["l2"], rec["l6"] = lp, ls
        rec["sid"], rec["rt"], rec["val"], rec["bid"] = sid[idx], rt[idx], val[idx], bid[idx]
        if lp:
            rec["per"] = np.array(period.to_numpy()[idx].tolist(), dtype=f"S{lp}")
        if ls:
            rec["st"] = np.array(status.to_numpy()[idx].tolist(), dtype=f"S{ls}")
        parts.append(rec.tobytes())
    parts.append(_TRAILER)
    return b"".join(parts)
