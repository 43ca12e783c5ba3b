package org.nudaq.server.pipeline.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameWriter;

/**
 * The benchmarks' input: GEMMA-I-like events of one board (fixed seed): 20% HPGe on channel 0
 * (2-100 keV, 1% pile-up), 80% NaI on channel 1 (20 keV + exponential 300 keV, 1% muons), mean
 * spacing 5 µs, reordered into per-channel aggregates of {@value #AGGREGATE} events as a board sends
 * them (channels interleave out of order). As wire frames: a HELLO, then EVENTS frames of
 * {@value #EVENTS_PER_FRAME} events with a STATUS frame (reactor ON) after every
 * {@value #STATUS_EVERY_FRAMES}th and after the last, whose board time is the oldest event not yet
 * sent, so the promise "every event before it was sent" holds.
 */
public final class BenchStream {
  public static final int AGGREGATE = 32;
  public static final int EVENTS_PER_FRAME = 1000;
  public static final int STATUS_EVERY_FRAMES = 50;
  public static final int BOARD = 0;

  private BenchStream() {}

  /** The GEMMA-I configuration (from the repository root or a module directory, or -Dnudaq.config). */
  public static NudaqConfig gemma1() {
    String configured = System.getProperty("nudaq.config");
    Path path = configured != null ? Path.of(configured) : Path.of("config/gemma-1.yaml");
    if (configured == null && !Files.exists(path)) {
      path = Path.of("../config/gemma-1.yaml"); // run from the module directory
    }
    return new ConfigLoader().load(path);
  }

  /** Time-ordered events reordered into per-channel aggregates, as a board sends them. */
  public static final class Events {
    public final int[] channel;
    public final long[] ticks;
    public final int[] adc;
    public final int[] flags;
    /** One past the last event's time: the replay offset per pass, ticks. */
    public final long spanTicks;

    private Events(int n, long spanTicks) {
      channel = new int[n];
      ticks = new long[n];
      adc = new int[n];
      flags = new int[n];
      this.spanTicks = spanTicks;
    }

    public static Events generate(int n, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      long[] t = new long[n];
      int[] ch = new int[n];
      int[] a = new int[n];
      int[] f = new int[n];
      long now = 0;
      for (int i = 0; i < n; i++) {
        now += 1 + (long) (random.nextExponential() * 1250); // 5 µs mean in 4 ns ticks
        t[i] = now;
        if (random.nextDouble() < 0.2) {
          ch[i] = 0;
          a[i] = (int) ((2 + 98 * random.nextDouble()) / 0.005);
          f[i] = random.nextDouble() < 0.01 ? 0x1 : 0;
        } else {
          ch[i] = 1;
          double keV = random.nextDouble() < 0.01 ? 65535 * 0.2 : 20 + 300 * random.nextExponential();
          a[i] = (int) Math.min(65535, keV / 0.2);
        }
      }
      Events e = new Events(n, now + 1);
      int[][] bufIdx = new int[2][AGGREGATE];
      int[] bufSize = new int[2];
      int out = 0;
      for (int i = 0; i < n; i++) {
        int c = ch[i];
        bufIdx[c][bufSize[c]++] = i;
        if (bufSize[c] == AGGREGATE) {
          out = e.copy(bufIdx[c], AGGREGATE, out, c, t, a, f);
          bufSize[c] = 0;
        }
      }
      for (int c = 0; c < 2; c++) {
        out = e.copy(bufIdx[c], bufSize[c], out, c, t, a, f);
      }
      return e;
    }

    private int copy(int[] idx, int count, int out, int c, long[] t, int[] a, int[] f) {
      for (int k = 0; k < count; k++) {
        int j = idx[k];
        channel[out] = c;
        ticks[out] = t[j];
        adc[out] = a[j];
        flags[out] = f[j];
        out++;
      }
      return out;
    }
  }

  /** A HELLO frame of the board (4 ns ticks, 16-bit ADC, 2 channels). */
  public static byte[] hello() {
    ByteBuffer b = ByteBuffer.wrap(new byte[FrameDescriptor.HELLO_FRAME_LENGTH]);
    int n = new FrameWriter().writeHello(b, 0, BOARD, 0, new BoardHello(0, 4000, 1000, 1, 0, 2, 16, 0));
    byte[] out = new byte[n];
    b.get(0, out);
    return out;
  }

  /**
   * The EVENTS and STATUS frames of {@code frameCount × EVENTS_PER_FRAME} events (no HELLO; sequence
   * numbers from 1), in sending order.
   */
  public static byte[][] frames(Events e, int frameCount) {
    int statusFrames = (frameCount + STATUS_EVERY_FRAMES - 1) / STATUS_EVERY_FRAMES + 1;
    byte[][] out = new byte[frameCount + statusFrames][];
    int n = frameCount * EVENTS_PER_FRAME;
    long[] oldestUnsent = new long[n + 1];
    oldestUnsent[n] = e.spanTicks;
    for (int i = n - 1; i >= 0; i--) {
      oldestUnsent[i] = Math.min(e.ticks[i], oldestUnsent[i + 1]);
    }
    int statusLength = FrameDescriptor.STATUS_FIXED_LENGTH + 2 * FrameDescriptor.CHANNEL_RECORD_LENGTH;
    int frameLength = FrameDescriptor.EVENTS_FIXED_LENGTH + EVENTS_PER_FRAME * FrameDescriptor.EVENT_RECORD_LENGTH;
    ByteBuffer buf = ByteBuffer.wrap(new byte[Math.max(frameLength, statusLength)]);
    FrameWriter writer = new FrameWriter();
    long sequence = 1;
    long[] accepted = new long[2];
    int k = 0;
    for (int f = 0; f < frameCount; f++) {
      writer.beginEvents(buf, 0, BOARD, sequence++);
      for (int i = f * EVENTS_PER_FRAME; i < (f + 1) * EVENTS_PER_FRAME; i++) {
        writer.appendEvent(e.ticks[i], e.channel[i], e.adc[i], e.flags[i], 0);
        accepted[e.channel[i]]++;
      }
      out[k++] = copy(buf, writer.finishEvents());
      if ((f + 1) % STATUS_EVERY_FRAMES == 0 || f == frameCount - 1) {
        long boardTicks = oldestUnsent[(f + 1) * EVENTS_PER_FRAME];
        BoardStatus status = new BoardStatus(boardTicks, boardTicks, FrameDescriptor.REACTOR_ON, List.of(
            new ChannelCounters(0, boardTicks, 0, accepted[0], 0),
            new ChannelCounters(1, boardTicks, 0, accepted[1], 0)));
        out[k++] = copy(buf, writer.writeStatus(buf, 0, BOARD, sequence++, status));
      }
    }
    return java.util.Arrays.copyOf(out, k);
  }

  /** Deletes a benchmark's temporary directory with everything in it (journals are large). */
  public static void deleteTree(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static byte[] copy(ByteBuffer buf, int length) {
    byte[] b = new byte[length];
    buf.get(0, b);
    return b;
  }
}
