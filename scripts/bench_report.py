#!/usr/bin/env python3
"""The benchmark report of `./nudaq bench`, kept out of the launcher so that it stays readable.

  bench_report.py splice GENERATED DOC   put GENERATED (the report between its bench:begin/bench:end
                                         markers) into DOC in place of the old one, or append it
  bench_report.py targets JMH_TEXT       print the issue's targets checked against a JMH text result
                                         file, and the replay rates as a fraction of a plain sequential
                                         read of the same journal bytes (markdown tables)
"""
import re
import sys


def splice(generated, doc_path):
    gen = open(generated).read()
    doc = open(doc_path).read()
    pat = re.compile(r"<!-- bench:begin.*?<!-- bench:end -->\n?", re.S)
    doc = pat.sub(lambda _: gen, doc) if pat.search(doc) else doc.rstrip("\n") + "\n\n" + gen
    open(doc_path, "w").write(doc)


def targets(jmh_text):
    score, unit = {}, {}
    sup = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
    for line in open(jmh_text):
        # JMH prints tiny scores as "≈ 10⁻⁴"
        line = re.sub(r"≈\s*10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)", lambda m: "1e" + m.group(1).translate(sup), line)
        line = re.sub(r"≈\s*0\b", "0", line)
        m = re.match(r"(\S+)\s+\S+\s+\d*\s+([0-9.eE+-]+)\s+(?:±\s+[0-9.]+\s+)?(\S+)\s*$", line.strip())
        if m:
            name = re.sub(r"^.*?([A-Za-z]+Benchmark\.)", r"\1", m.group(1))
            score[name] = float(m.group(2)); unit[name] = m.group(3)
    def g(k): return score.get(k)
    rows = [("per-event pipeline (decode → merge → veto → gates → fill)", "PipelineBenchmark.decodeAndProcess", 3e7),
            ("journal replay (Chronicle read + decode + pipeline)", "ReplayBenchmark.journalReplay", 3e7),
            ("CoMPASS import (read + merge + pipeline)", "ReplayBenchmark.compassImport", 3e7),
            ("CoMPASS TCP stream reader (alignment + checks)", "CaenReadersBenchmark.compassStreamDecode", 3.4e7),
            ("CoMPASS TCP stream to journal-ready frames", "CaenReadersBenchmark.compassStreamToFrames", 3.4e7),
            ("x27xx raw reader", "CaenReadersBenchmark.x27xxDecode", 3.4e7)]
    print("| path | events/s | target | met |\n|---|---:|---:|---|")
    for label, k, target in rows:
        v = g(k)
        print("| %s | %s | %.0e | %s |" % (label, "%.3g" % v if v else "not run", target, "yes" if v and v >= target else "**no**"))
    alloc = g("PipelineBenchmark.decodeAndProcess:gc.alloc.rate.norm")
    if alloc is not None:
        print("\nAllocation of the per-event pipeline: %.2g B/op (target 0)." % alloc)
    plain = g("ReplayBenchmark.plainSequentialRead")
    if plain:
        print("\n| path | events/s | fraction of a plain sequential read of the same journal bytes (%.3g events/s) |\n|---|---:|---:|" % plain)
        for label, k in [("journal append", "JournalAppendBenchmark.append"), ("Chronicle read alone", "ReplayBenchmark.journalRead"),
                         ("journal replay", "ReplayBenchmark.journalReplay")]:
            v = g(k)
            if v:
                print("| %s | %.3g | %.2f |" % (label, v, v / plain))


def main(argv):
    if len(argv) == 4 and argv[1] == "splice":
        splice(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "targets":
        targets(argv[2])
    else:
        sys.stderr.write("usage: bench_report.py splice GENERATED DOC | targets JMH_TEXT\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
