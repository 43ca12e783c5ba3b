package org.nudaq.server.compass;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Where the time slabs of a CoMPASS run's feed ({@link CompassFeed#slab()}) end, found from the time
 * stamps alone, for a replay cut in time (issue 19, {@link SegmentedCompassImport}): a feed started at
 * one of these points with its width and newest time stamp gives the pipeline the same calls as the
 * single-threaded feed from there on. The feed's rule is repeated slab by slab, but each file's records
 * before the slab's end are counted by a search on its time stamps (records of one length, so record
 * {@code i} is at a known byte) instead of being read: ~10 time stamps per file per slab.
 *
 * <p>Assumes each file's time stamps do not decrease (CoMPASS writes them so); where they do, the points
 * are wrong and the replay that uses them finds out (the feed's state at a cut differs from the true one)
 * and replays that segment again, so the result stays exact.
 *
 * <p>Single-use, single-threaded; close it.
 */
final class CompassSlabGrid implements AutoCloseable {
  /**
   * The feed's state after {@code slab} slabs.
   *
   * @param slab       slabs fed before this point
   * @param next       per file, the index of its next record to feed (its record count once it ended)
   * @param live       per file, whether it has records left
   * @param widthPs    the slab width the next slab starts with, ps
   * @param lastPs     the newest time stamp fed, ps (−1: none)
   * @param fedRecords records fed before this point, all files
   */
  record Point(long slab, long[] next, boolean[] live, long widthPs, long lastPs, long fedRecords) {}

  private final Column[] files;

  /**
   * @param files      the run's channel files, each as its parts (binary, records of one length each:
   *                   {@code lengths}; the first part with the 2-byte header, the others without)
   * @param lengths    per file, its record length, bytes
   */
  CompassSlabGrid(List<List<Path>> files, int[] lengths) {
    this.files = new Column[files.size()];
    try {
      for (int i = 0; i < this.files.length; i++) {
        this.files[i] = new Column(files.get(i), lengths[i]);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Per part of file {@code i}, its whole records (a truncated last record is not counted). */
  long[] partRecords(int i) {
    return files[i].partCount.clone();
  }

  /** Records of every file (whole records only). */
  long records() {
    long n = 0;
    for (Column c : files) {
      n += c.count;
    }
    return n;
  }

  /**
   * The first slab boundary at which at least {@code targets[t]} records were fed, for each of the
   * ascending {@code targets}; null for a target the run does not reach.
   *
   * @param maxWidthPs the feed's largest slab width, ps
   */
  Point[] points(long[] targets, long maxWidthPs) {
    return points(start(), targets, maxWidthPs);
  }

  /** The feed's state before its first slab. */
  Point start() {
    int n = files.length;
    boolean[] live = new boolean[n];
    for (int i = 0; i < n; i++) {
      live[i] = files[i].count > 0;
    }
    return new Point(0, new long[n], live, CompassFeed.INITIAL_SLAB_PS, -1, 0);
  }

  /**
   * As {@link #points(long[], long)}, walking on from {@code from} (a point of this run's feed: one this grid
   * gave, or a feed's own state between two slabs) instead of the run's start: the same points as from the start
   * (the walk is the feed's rule, whatever point of it it starts at). For a segment cut again while it runs.
   */
  Point[] points(Point from, long[] targets, long maxWidthPs) {
    int n = files.length;
    long[] pos = from.next().clone();
    long[] lastCount = new long[n];
    boolean[] live = from.live().clone();
    long[] head = new long[n];
    for (int i = 0; i < n; i++) {
      head[i] = live[i] ? files[i].timestampPs(pos[i]) : 0;
    }
    long widthPs = from.widthPs();
    long lastPs = from.lastPs();
    long slab = from.slab();
    long consumed = from.fedRecords();
    Point[] out = new Point[targets.length];
    int t = 0;
    while (t < targets.length) {
      while (t < targets.length && consumed >= targets[t]) {
        out[t++] = new Point(slab, pos.clone(), live.clone(), widthPs, lastPs, consumed);
      }
      if (t == targets.length) {
        break;
      }
      long startPs = Long.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        if (live[i] && head[i] < startPs) {
          startPs = head[i];
        }
      }
      if (startPs == Long.MAX_VALUE) {
        break; // the run ended before the remaining targets
      }
      long endPs = startPs > Long.MAX_VALUE - widthPs ? Long.MAX_VALUE : startPs + widthPs;
      long fed = 0;
      for (int i = 0; i < n; i++) {
        if (!live[i] || head[i] >= endPs) {
          continue;
        }
        Column c = files[i];
        long limit = Math.min(c.count, pos[i] + CompassFeed.SLAB_FILE_MAX_RECORDS);
        long j = c.firstAtOrAfter(pos[i] + 1, limit, endPs, pos[i] + Math.max(1, lastCount[i]));
        long count = j - pos[i];
        long lastFed = c.timestampPs(j - 1);
        if (lastFed > lastPs) {
          lastPs = lastFed;
        }
        boolean more = j < c.count;
        long ts = more ? c.timestampPs(j) : lastFed;
        if (more && ts < endPs) {
          endPs = ts; // a burst, as the feed
        }
        live[i] = more;
        head[i] = ts;
        pos[i] = j;
        lastCount[i] = count;
        fed += count;
      }
      long next = fed == 0 ? widthPs * 4 : Math.max(widthPs / 4, Math.min(widthPs * 4, widthPs / fed * CompassFeed.SLAB_EVENTS));
      widthPs = Math.max(CompassFeed.MIN_SLAB_PS, Math.min(maxWidthPs, next));
      slab++;
      consumed += fed;
    }
    return out;
  }

  @Override
  public void close() {
    for (Column c : files) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** The time stamps of one file (its parts one after the other) of fixed-length records, mapped in windows of whole records. */
  private static final class Column {
    private static final long WINDOW_BYTES = 1L << 30;
    private final FileChannel[] channels;
    private final long count;
    private final long[] partCount;
    private final int length;
    private final long perWindow;
    /** Windows of every part in order; window k holds records [windowFirst[k], windowFirst[k + 1]). */
    private final ByteBuffer[] windows;
    private final long[] windowFirst;
    private int last;

    Column(List<Path> parts, int length) {
      this.length = length;
      this.perWindow = WINDOW_BYTES / length;
      channels = new FileChannel[parts.size()];
      partCount = new long[parts.size()];
      List<ByteBuffer> w = new java.util.ArrayList<>();
      List<Long> first = new java.util.ArrayList<>();
      long n = 0;
      for (int p = 0; p < parts.size(); p++) {
        Path file = parts.get(p);
        try {
          channels[p] = FileChannel.open(file, StandardOpenOption.READ);
          long header = p == 0 ? CompassDescriptor.HEADER_LENGTH : 0;
          long records = Math.max(0, (channels[p].size() - header) / length);
          partCount[p] = records;
          for (long k = 0; k < records; k += perWindow) {
            long bytes = Math.min(perWindow, records - k) * length;
            w.add(channels[p].map(FileChannel.MapMode.READ_ONLY, header + k * length, bytes).order(ByteOrder.LITTLE_ENDIAN));
            first.add(n + k);
          }
          n += records;
        } catch (IOException e) {
          close();
          throw new CompassFormatException(file, 0, "cannot read: " + e.getMessage());
        }
      }
      count = n;
      windows = w.toArray(new ByteBuffer[0]);
      windowFirst = new long[windows.length + 1];
      for (int k = 0; k < windows.length; k++) {
        windowFirst[k] = first.get(k);
      }
      windowFirst[windows.length] = n;
    }

    long timestampPs(long record) {
      int k = last;
      if (record < windowFirst[k] || record >= windowFirst[k + 1]) {
        k = 0;
        while (record >= windowFirst[k + 1]) {
          k++;
        }
        last = k;
      }
      return windows[k].getLong((int) (record - windowFirst[k]) * length + CompassDescriptor.TIMESTAMP_OFFSET);
    }

    /**
     * The first record in [{@code from}, {@code to}) whose time stamp is at or after {@code endPs}, else
     * {@code to}; searched outwards from {@code guess} (the last slab's count: few pages touched).
     */
    long firstAtOrAfter(long from, long to, long endPs, long guess) {
      long lo = from; // every record before lo is before endPs
      long hi = to; // the answer is at most hi
      long g = Math.max(from, Math.min(to - 1, guess));
      if (g >= from && g < to) {
        long step = 1;
        if (timestampPs(g) < endPs) {
          lo = g + 1;
          while (lo + step - 1 < to && timestampPs(lo + step - 1) < endPs) {
            lo += step;
            step <<= 1;
          }
          hi = Math.min(to, lo + step - 1);
        } else {
          hi = g;
          while (hi - step >= from && timestampPs(hi - step) >= endPs) {
            hi -= step;
            step <<= 1;
          }
          lo = Math.max(from, hi - step + 1);
        }
      }
      while (lo < hi) {
        long mid = (lo + hi) >>> 1;
        if (timestampPs(mid) < endPs) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    void close() {
      for (FileChannel c : channels) {
        try {
          if (c != null) {
            c.close();
          }
        } catch (IOException e) {
          // read-only
        }
      }
    }
  }
}
