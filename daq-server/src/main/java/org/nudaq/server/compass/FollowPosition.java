package org.nudaq.server.compass;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A position {@link CompassFollow} logs before each slab ({@code S} lines of {@code compass-follow.log}):
 * everything the follow needs to make the next slab exactly as it would have — the run, the slab width,
 * the feed's counters, the per-board frame sequence numbers, every channel file's part and byte offset — as
 * one line of {@code key=value} words ({@link #format}, {@link #parse}; an unknown key is passed over).
 * Mutable only in {@code dropThrough} and {@code newSession}, set by the follow's one thread on resuming.
 */
final class FollowPosition {
  /** One channel's place in a logged position. */
  record FileState(String base, int part, long offset, int layout, boolean ended) {}

  final String run;
  /** The run's time base, ns (logged as {@code offsetNs}; a log of a version before kept it in ps: {@code offsetPs}). */
  final long offsetNs;
  final long widthPs;
  final long lastPs;
  /** The run's floor of status times (−1: none), see {@link CompassFeed#addSource}. */
  final long statusFloorPs;
  final long events;
  final int given;
  final long[] saved;
  final long[] sequence;
  final long[] hello;
  final List<FileState> files;
  long[] dropThrough;
  boolean newSession;

  FollowPosition(String run, long offsetNs, long widthPs, long lastPs, long statusFloorPs, long events, int given, long[] saved,
      long[] sequence, long[] hello, List<FileState> files) {
    this.statusFloorPs = statusFloorPs;
    this.hello = hello;
    this.run = run;
    this.offsetNs = offsetNs;
    this.widthPs = widthPs;
    this.lastPs = lastPs;
    this.events = events;
    this.given = given;
    this.saved = saved;
    this.sequence = sequence;
    this.files = files;
  }

  String format() {
    StringBuilder sb = new StringBuilder();
    sb.append("run=").append(enc(run)).append(" offsetNs=").append(offsetNs).append(" widthPs=").append(widthPs)
        .append(" lastPs=").append(lastPs).append(" events=").append(events).append(" reactorGiven=").append(given)
        .append(" saved=").append(join(saved)).append(" sequence=").append(join(sequence))
        .append(" hello=").append(join(hello));
    if (statusFloorPs >= 0) {
      sb.append(" statusFloorPs=").append(statusFloorPs); // only after a channel file joined late
    }
    for (FileState f : files) {
      sb.append(" file=").append(enc(f.base())).append(',').append(f.part()).append(',').append(f.offset()).append(',')
          .append(f.layout()).append(',').append(f.ended() ? 1 : 0);
    }
    return sb.toString();
  }

  static FollowPosition parse(String line, int boards) {
    String run = null;
    long offset = 0;
    long width = 0;
    long last = -1;
    long floor = -1;
    long events = 0;
    int given = 0;
    long[] saved = new long[0];
    long[] sequence = null;
    long[] hello = null;
    List<FileState> files = new ArrayList<>();
    for (String kv : line.trim().split(" ")) {
      int eq = kv.indexOf('=');
      String k = kv.substring(0, eq);
      String v = kv.substring(eq + 1);
      switch (k) {
        case "run" -> run = dec(v);
        case "offsetNs" -> offset = Long.parseLong(v);
        case "offsetPs" -> offset = Long.parseLong(v) / 1000; // a log written before the base was kept in ns (whole ns)
        case "widthPs" -> width = Long.parseLong(v);
        case "lastPs" -> last = Long.parseLong(v);
        case "statusFloorPs" -> floor = Long.parseLong(v);
        case "events" -> events = Long.parseLong(v);
        case "reactorGiven" -> given = Integer.parseInt(v);
        case "saved" -> saved = split(v);
        case "sequence" -> sequence = split(v);
        case "hello" -> hello = split(v);
        case "file" -> {
          String[] f = v.split(",");
          files.add(new FileState(dec(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]), f[4].equals("1")));
        }
        default -> { } // a later version's key
      }
    }
    if (run == null || sequence == null || sequence.length != boards || hello == null || hello.length != boards || width <= 0) {
      throw new IllegalArgumentException("incomplete position");
    }
    return new FollowPosition(run, offset, width, last, floor, events, given, saved, sequence, hello, files);
  }

  private static String join(long[] a) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < a.length; i++) {
      sb.append(i == 0 ? "" : ",").append(a[i]);
    }
    return sb.toString();
  }

  private static long[] split(String v) {
    if (v.isEmpty()) {
      return new long[0];
    }
    String[] p = v.split(",");
    long[] out = new long[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = Long.parseLong(p[i]);
    }
    return out;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
