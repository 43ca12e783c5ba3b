#!/usr/bin/env python3
"""Reads a nudaq LH5 export back with h5py the way legend-pydataobj does: every object is
interpreted by its `datatype` attribute (legend-exp/legend-data-format-specs, hdf5.md) and the
interpretation is checked (a table's columns exist and have one length, a struct's fields exist,
a vector of vectors has flattened_data + cumulative_length, a histogram is
struct{binning,weights,isdensity}). Prints the export as JSON on stdout for ExportConsumersTest;
any violation of the conventions exits 1 with a message naming the object.

usage: read_lh5.py EXPORT_DIR
"""
import glob
import json
import os
import re
import sys

import h5py
import numpy as np


class Lh5Error(Exception):
    pass


def attr_str(obj, name):
    v = obj.attrs.get(name)
    if v is None:
        return None
    return v.decode() if isinstance(v, bytes) else str(v)


def split_fields(inner):
    """Top-level comma split of 'a,b{c,d},e'."""
    out, depth, cur = [], 0, ""
    for ch in inner:
        if ch in "{<":
            depth += 1
        elif ch in "}>":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def read(obj):
    """An LH5 object as Python values, interpreted by its datatype."""
    dt = attr_str(obj, "datatype")
    if dt is None:
        raise Lh5Error(f"{obj.name}: no datatype attribute")
    m = re.fullmatch(r"(table|struct)\{(.*)\}", dt)
    if m:
        if not isinstance(obj, h5py.Group):
            raise Lh5Error(f"{obj.name}: {m.group(1)} must be a group")
        fields = split_fields(m.group(2))
        if sorted(fields) != sorted(obj.keys()):
            raise Lh5Error(f"{obj.name}: datatype lists {fields}, the group holds {list(obj.keys())}")
        value = {f: read(obj[f]) for f in fields}
        if m.group(1) == "table":
            lengths = {f: len(v) for f, v in value.items()}
            if len(set(lengths.values())) > 1:
                raise Lh5Error(f"{obj.name}: table columns of different lengths {lengths}")
        return value
    if dt == "array<1>{array<1>{real}}":
        if not isinstance(obj, h5py.Group) or set(obj.keys()) != {"flattened_data", "cumulative_length"}:
            raise Lh5Error(f"{obj.name}: a vector of vectors needs flattened_data and cumulative_length")
        flat = read(obj["flattened_data"])
        cum = read(obj["cumulative_length"])
        if cum and cum[-1] != len(flat):
            raise Lh5Error(f"{obj.name}: cumulative_length ends at {cum[-1]}, flattened_data has {len(flat)}")
        starts = [0] + cum[:-1]
        return [flat[a:b] for a, b in zip(starts, cum)]
    if re.fullmatch(r"array<1>\{(real|bool)\}", dt):
        if not isinstance(obj, h5py.Dataset) or obj.ndim != 1:
            raise Lh5Error(f"{obj.name}: {dt} must be a 1-d dataset")
        if obj.dtype.kind not in "iufb":
            raise Lh5Error(f"{obj.name}: {dt} holds non-numeric {obj.dtype}")
        a = obj[()]
        return [bool(x) for x in a] if dt.endswith("{bool}") else a.tolist()
    if dt in ("real", "bool"):
        if not isinstance(obj, h5py.Dataset) or obj.ndim != 0:
            raise Lh5Error(f"{obj.name}: scalar {dt} must be a 0-d dataset")
        v = obj[()]
        return bool(v) if dt == "bool" else v.item()
    raise Lh5Error(f"{obj.name}: datatype {dt!r} is not one this reader (or legend-pydataobj) knows")


def units(obj):
    return attr_str(obj, "units")


def main():
    out = sys.argv[1]
    result = {"events": {}, "event_files": [], "units": {}}
    files = sorted(glob.glob(os.path.join(out, "events", "events-*.lh5")))
    for path in files:
        with h5py.File(path, "r") as f:
            table = read(f["events"])
            result["event_files"].append({"file": os.path.basename(path), "rows": len(table["time"])})
            for col, values in table.items():
                result["events"].setdefault(col, []).extend(values)
                u = units(f["events"][col])
                if u:
                    result["units"][col] = u
            for col in ("reactor_state", "fate"):
                result.setdefault("codes", {})[col] = attr_str(f["events"][col], "codes")
    with h5py.File(os.path.join(out, "export.lh5"), "r") as f:
        result["attrs"] = {k: (v.decode() if isinstance(v, bytes) else (v.item() if hasattr(v, "item") else v))
                           for k, v in f.attrs.items()}
        empty = [t for t in result["attrs"].get("empty_tables", "").split(",") if t]
        result["tables"] = {name: ({} if name in empty else read(f[name]))
                            for name in ("channels", "accounting", "livetime", "reactor", "runs")}
        for name in empty:
            if name in f:
                raise Lh5Error(f"{name}: named in empty_tables but present")
        result["channel_detector_names"] = attr_str(f["channels"], "detector_names")
        spectra = []
        for key, group in f["spectra"].items():
            s = read(group)
            edges = s["hist"]["binning"]["axis_1"]["binedges"]
            spectra.append({
                "name": attr_str(group, "name"), "detector": attr_str(group, "detector"),
                "reactor_state": attr_str(group, "reactor_state"), "stage": attr_str(group, "stage"),
                "first": edges["first"], "last": edges["last"], "step": edges["step"],
                "edges_units": units(group["hist"]["binning"]["axis_1"]["binedges"]),
                "closedleft": s["hist"]["binning"]["axis_1"]["closedleft"], "isdensity": s["hist"]["isdensity"],
                "counts": s["hist"]["weights"], "live_time": s["live_time"], "live_time_units": units(group["live_time"]),
                "mass": s["mass"], "exposure": s["exposure"], "underflow": s["underflow"], "overflow": s["overflow"],
                "invalid": s["invalid"]})
        result["spectra"] = spectra
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    try:
        main()
    except Lh5Error as e:
        print(f"read_lh5: {e}", file=sys.stderr)
        sys.exit(1)
