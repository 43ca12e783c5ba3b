package org.nudaq.server.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Joins the segments of one input replayed in time on several cores (issue 19) exactly: a segment
 * replayed speculatively from a warm-up before its start is in the single-threaded replay's state at
 * its start up to the sums, or it is not, and this class tells which and adds the sums.
 *
 * <p>A segment's pipeline is {@link #capture captured} at the segment's start (the
 * {@link #startSpeculating speculative start}, which also switches on its {@link SegmentLog}s) and at
 * its end. With the true state at the start (the previous segment's joined end), {@link #difference}
 * compares the two starts byte for byte except the sums, positions and pending sums {@link StateLayout}
 * marks (the positions' meaning ahead is compared through {@link EventPipeline#saveAhead}). Same: the
 * segment's further input met the same state, so everything it did but the sums is what the
 * single-threaded replay did, and {@link #join} gives the true end: the end's bytes with every long
 * sum + (true − speculative start), every floating-point sum re-added term by term onto the true
 * start's value in the order the segment added them, and the data-quality slices re-judged with the
 * true mean of good slices ({@link QualitySlices#joinOpenSlices}). Different (or a verdict differs):
 * the caller replays the segment again from the true state.
 *
 * <p>Stateless; captures are immutable once made (any thread may join them).
 */
public final class SegmentJoin {
  private SegmentJoin() {}

  /**
   * A pipeline's complete state at one instant, with its layout and the view of its positions ahead.
   *
   * @param state  {@link EventPipeline#saveState} bytes
   * @param layout where the sums and positions are in them
   * @param ahead  {@link EventPipeline#saveAhead} bytes
   */
  public record Capture(byte[] state, StateLayout layout, byte[] ahead) {}

  /** A speculative segment's start: its state there and what it logs from there on. */
  public static final class Speculation {
    private final Capture start;
    private final SegmentLog powerTerms = new SegmentLog();
    private final SegmentLog verdicts = new SegmentLog();

    private Speculation(Capture start) {
      this.start = start;
    }

    /** The state the speculative segment had at its start. */
    public Capture start() {
      return start;
    }
  }

  /** A fresh pipeline of {@code config} holding {@code state} ({@link EventPipeline#saveState} bytes). */
  public static EventPipeline restore(org.nudaq.monitor.config.NudaqConfig config, byte[] state) {
    EventPipeline p = new EventPipeline(config);
    p.restoreState(new StateReader(state, 0, state.length));
    return p;
  }

  /** The pipeline's state now (between inputs; pipeline thread). */
  public static Capture capture(EventPipeline pipeline) {
    StateWriter w = new StateWriter(1 << 16);
    StateLayout layout = new StateLayout();
    w.recordLayout(layout);
    pipeline.saveState(w);
    byte[] state = Arrays.copyOf(w.array(), w.position());
    StateWriter a = new StateWriter(256);
    pipeline.saveAhead(a);
    return new Capture(state, layout.copy(), Arrays.copyOf(a.array(), a.position()));
  }

  /** Captures a speculative segment's start and logs from here on what {@link #join} needs. */
  public static Speculation startSpeculating(EventPipeline pipeline) {
    Speculation s = new Speculation(capture(pipeline));
    pipeline.logSegment(s.powerTerms, s.verdicts);
    return s;
  }

  /**
   * Null if the speculative segment {@code s} may be joined onto {@code truth} (the true state at its
   * start) as far as the state proper goes (the data-quality verdicts are checked by {@link #join}); else
   * why not, in a few words.
   */
  public static String difference(Capture truth, Speculation s) {
    String d = differenceUpToSums(truth, s.start);
    if (d != null) {
      return d;
    }
    if (!Arrays.equals(truth.ahead(), s.start.ahead())) {
      return "the reactor-state changes ahead or the merge's idle floors differ";
    }
    return null;
  }

  /**
   * The outcome of {@link #join}.
   *
   * @param pipeline a fresh pipeline holding the true state at the segment's end, or null
   * @param why      null, or why the segment must be replayed again
   */
  public record Joined(EventPipeline pipeline, String why) {}

  /**
   * The true state at the end of a speculative segment {@code s} whose {@link #difference} from
   * {@code truth} is null, given its own state {@code end} there, in a fresh pipeline of
   * {@code fresh}; or why the segment must be replayed again (a data-quality verdict that the true mean
   * of good slices changes).
   *
   * @param truthPipeline a pipeline holding {@code truth} (not changed)
   */
  public static Joined join(Capture truth, EventPipeline truthPipeline, Speculation s, Capture end,
      java.util.function.Supplier<EventPipeline> fresh) {
    EventPipeline joined = fresh.get();
    byte[] bytes = joinSums(truth, s, end);
    joined.restoreState(new StateReader(bytes, 0, bytes.length));
    EventPipeline start = fresh.get();
    start.restoreState(new StateReader(s.start.state(), 0, s.start.state().length));
    String why = joined.joinOpenSlices(truthPipeline, start, s.verdicts);
    return why == null ? new Joined(joined, null) : new Joined(null, why);
  }

  private static String differenceUpToSums(Capture a, Capture b) {
    StateLayout la = a.layout();
    StateLayout lb = b.layout();
    byte[] x = a.state();
    byte[] y = b.state();
    int ia = 0;
    int ib = 0;
    for (int r = 0; ; r++) {
      int ea = r < la.size() ? la.from(r) : x.length;
      int eb = r < lb.size() ? lb.from(r) : y.length;
      if (ea - ia != eb - ib || !Arrays.equals(x, ia, ea, y, ib, eb)) {
        int at = firstDifference(x, ia, ea, y, ib, eb);
        return "the pipeline state differs at byte " + at + " of " + x.length + ", section " + sectionBefore(x, at);
      }
      if (r >= la.size() || r >= lb.size()) {
        return la.size() == lb.size() ? null : "the pipeline states have different layouts";
      }
      boolean anyLength = la.kind(r) == StateLayout.Kind.POSITION || la.kind(r) == StateLayout.Kind.PENDING;
      if (la.kind(r) != lb.kind(r) || !anyLength && la.to(r) - la.from(r) != lb.to(r) - lb.from(r)) {
        return "the pipeline states have different layouts";
      }
      ia = la.to(r);
      ib = lb.to(r);
    }
  }

  /** The 4-letter tag of the state section holding byte {@code at} (StateWriter#tag), for the message. */
  private static String sectionBefore(byte[] x, int at) {
    for (int i = Math.min(at, x.length) - 4; i >= 0; i--) {
      if (isTagLetter(x[i]) && isTagLetter(x[i + 1]) && isTagLetter(x[i + 2]) && isTagLetter(x[i + 3])) {
        return new String(x, i, 4, java.nio.charset.StandardCharsets.US_ASCII) + "+" + (at - i);
      }
    }
    return "?";
  }

  private static boolean isTagLetter(byte b) {
    return b >= 'A' && b <= 'Z';
  }

  private static int firstDifference(byte[] x, int ia, int ea, byte[] y, int ib, int eb) {
    int k = 0;
    while (ia + k < ea && ib + k < eb && x[ia + k] == y[ib + k]) {
      k++;
    }
    return ia + k;
  }

  /** The end's bytes with its long sums + truth − start and its floating-point sums re-added onto truth's. */
  private static byte[] joinSums(Capture truth, Speculation s, Capture end) {
    StateLayout lt = truth.layout();
    StateLayout ls = s.start.layout();
    StateLayout le = end.layout();
    if (lt.size() != le.size() || ls.size() != le.size()) {
      throw new IllegalStateException("segment join: the states have different layouts");
    }
    ByteBuffer t = ByteBuffer.wrap(truth.state()).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer st = ByteBuffer.wrap(s.start.state()).order(ByteOrder.LITTLE_ENDIAN);
    byte[] joined = end.state().clone();
    ByteBuffer out = ByteBuffer.wrap(joined).order(ByteOrder.LITTLE_ENDIAN);
    int doubles = 0;
    int[] doubleAt = new int[64];
    for (int r = 0; r < le.size(); r++) {
      StateLayout.Kind kind = le.kind(r);
      if (kind != lt.kind(r) || kind != ls.kind(r)) {
        throw new IllegalStateException("segment join: the states have different layouts");
      }
      if (kind == StateLayout.Kind.POSITION || kind == StateLayout.Kind.PENDING) {
        continue; // the end's own (PENDING: QualitySlices.joinOpenSlices corrects them)
      }
      int n = le.to(r) - le.from(r);
      if (lt.to(r) - lt.from(r) != n || ls.to(r) - ls.from(r) != n) {
        throw new IllegalStateException("segment join: sums of different sizes");
      }
      for (int k = 0; k < n; k += 8) {
        int at = le.from(r) + k;
        if (kind == StateLayout.Kind.LONG_SUM) {
          out.putLong(at, out.getLong(at) + t.getLong(lt.from(r) + k) - st.getLong(ls.from(r) + k));
        } else {
          out.putLong(at, t.getLong(lt.from(r) + k)); // the true start's value; the segment's terms follow
          if (doubles == doubleAt.length) {
            doubleAt = Arrays.copyOf(doubleAt, 2 * doubles);
          }
          doubleAt[doubles++] = at;
        }
      }
    }
    SegmentLog terms = s.powerTerms;
    for (int i = 0; i + 1 < terms.size(); i += 2) {
      long index = terms.get(i);
      if (index < 0 || index >= doubles) {
        throw new IllegalStateException("segment join: a floating-point term for sum " + index + " of " + doubles);
      }
      int at = doubleAt[(int) index];
      out.putDouble(at, out.getDouble(at) + Double.longBitsToDouble(terms.get(i + 1)));
    }
    return joined;
  }
}
