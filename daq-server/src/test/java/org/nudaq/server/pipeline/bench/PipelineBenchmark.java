package org.nudaq.server.pipeline.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.monitor.wire.FrameVisitor;
import org.nudaq.monitor.wire.FrameWriter;
import org.nudaq.server.pipeline.EventPipeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-event throughput of the pipeline on pre-generated GEMMA-I-like events (fixed seed): 20% HPGe
 * (2-100 keV, 1% pile-up), 80% NaI (20 keV + exponential 300 keV, 1% muons), mean spacing 5 µs,
 * sent as per-channel aggregates of 32 events so channels interleave out of order (as a board sends
 * them). The data are replayed with a growing time offset, so the data time never stops.
 *
 * <ul>
 *   <li>{@link #onEvent()}: {@link EventPipeline#onEvent} on decoded events (merge, calibration,
 *       veto with look-ahead, gates, data-quality slices, spectrum fills); a status closes each pass.</li>
 *   <li>{@link #decodeAndProcess(Frames)}: the same work from wire frames: {@link FrameReader} (CRC-32C
 *       check and decoding) of pre-encoded 1000-event EVENTS frames, with a STATUS frame every
 *       {@value Frames#STATUS_EVERY_FRAMES} frames, forwarded to the pipeline by a {@link FrameVisitor}.</li>
 * </ul>
 *
 * <p>Both count one operation per event. Run: {@code ./nudaq jmh daq-server Pipeline -prof gc}; the
 * gc profiler should report ~0 B/op (nothing is allocated per event).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipelineBenchmark {
  private static final int EVENTS = 1 << 20;
  private static final int BATCH = 8192;
  private static final int AGGREGATE = 32;

  private Events events;
  private long offsetTicks;
  private int next;
  private EventPipeline pipeline;

  @Setup
  public void setUp() {
    pipeline = new EventPipeline(loadConfig());
    events = Events.generate(EVENTS, 42);
    pipeline.onStatusBegin(0, 0, 0, 1);
    pipeline.onStatusEnd(0);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void onEvent() {
    EventPipeline p = pipeline;
    int[] channel = events.channel;
    long[] ticks = events.ticks;
    int[] adc = events.adc;
    int[] flags = events.flags;
    int i = next;
    long offset = offsetTicks;
    for (int k = 0; k < BATCH; k++) {
      p.onEvent(0, channel[i], ticks[i] + offset, adc[i], flags[i], 0);
      i++;
    }
    if (i == EVENTS) {
      // Every event of the pass has been sent: a status at the end of the pass, then the next pass.
      offset += events.spanTicks;
      p.onStatusBegin(0, offset, offset, 1);
      p.onStatusEnd(0);
      i = 0;
    }
    next = i;
    offsetTicks = offset;
  }

  @Benchmark
  @OperationsPerInvocation(Frames.EVENTS_PER_FRAME)
  public void decodeAndProcess(Frames frames) {
    frames.decodeNext();
  }

  static NudaqConfig loadConfig() {
    String configured = System.getProperty("nudaq.config");
    Path path = configured != null ? Path.of(configured) : Path.of("config/gemma-1.yaml");
    if (configured == null && !Files.exists(path)) {
      path = Path.of("../config/gemma-1.yaml"); // run from the module directory
    }
    return new ConfigLoader().load(path);
  }

  /** Time-ordered events reordered into per-channel aggregates, as a board sends them. */
  static final class Events {
    final int[] channel;
    final long[] ticks;
    final int[] adc;
    final int[] flags;
    /** One past the last event's time: the replay offset per pass, ticks. */
    final long spanTicks;

    private Events(int n, long spanTicks) {
      channel = new int[n];
      ticks = new long[n];
      adc = new int[n];
      flags = new int[n];
      this.spanTicks = spanTicks;
    }

    static Events generate(int n, long seed) {
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

  /**
   * The events as one board's wire stream: a HELLO, then EVENTS frames of 1000 events, a STATUS frame
   * after every {@value #STATUS_EVERY_FRAMES}th (board time = the oldest event not yet sent, so the
   * promise "every event before it was sent" holds) and after the last. One invocation decodes one
   * EVENTS frame and the STATUS frame that follows it, if any.
   */
  @State(Scope.Thread)
  public static class Frames {
    static final int EVENTS_PER_FRAME = 1000;
    static final int FRAME_COUNT = 256;
    static final int STATUS_EVERY_FRAMES = 50;
    private static final int BOARD = 0;

    private final FrameReader reader = new FrameReader();
    private ByteBuffer stream;
    /** Invocation k decodes the bytes [start[k], start[k + 1]). */
    private int[] start;
    private int frame;
    private Forwarder forwarder;

    @Setup
    public void setUp() {
      EventPipeline pipeline = new EventPipeline(loadConfig());
      forwarder = new Forwarder(pipeline);
      Events e = Events.generate(EVENTS_PER_FRAME * FRAME_COUNT, 7);
      int n = e.ticks.length;
      long[] oldestUnsent = new long[n + 1];
      oldestUnsent[n] = e.spanTicks;
      for (int i = n - 1; i >= 0; i--) {
        oldestUnsent[i] = Math.min(e.ticks[i], oldestUnsent[i + 1]);
      }
      int statusLength = FrameDescriptor.STATUS_FIXED_LENGTH + 2 * FrameDescriptor.CHANNEL_RECORD_LENGTH;
      int frameLength = FrameDescriptor.EVENTS_FIXED_LENGTH + EVENTS_PER_FRAME * FrameDescriptor.EVENT_RECORD_LENGTH;
      stream = ByteBuffer.wrap(new byte[FRAME_COUNT * (frameLength + statusLength)]);
      start = new int[FRAME_COUNT + 1];
      FrameWriter writer = new FrameWriter();
      long sequence = 0;
      long[] accepted = new long[2];
      int at = 0;
      for (int f = 0; f < FRAME_COUNT; f++) {
        start[f] = at;
        writer.beginEvents(stream, at, BOARD, sequence++);
        for (int k = f * EVENTS_PER_FRAME; k < (f + 1) * EVENTS_PER_FRAME; k++) {
          writer.appendEvent(e.ticks[k], e.channel[k], e.adc[k], e.flags[k], 0);
          accepted[e.channel[k]]++;
        }
        at += writer.finishEvents();
        if ((f + 1) % STATUS_EVERY_FRAMES == 0 || f == FRAME_COUNT - 1) {
          long boardTicks = oldestUnsent[(f + 1) * EVENTS_PER_FRAME];
          BoardStatus status = new BoardStatus(boardTicks, boardTicks, FrameDescriptor.REACTOR_ON, List.of(
              new ChannelCounters(0, boardTicks, 0, accepted[0], 0),
              new ChannelCounters(1, boardTicks, 0, accepted[1], 0)));
          at += writer.writeStatus(stream, at, BOARD, sequence++, status);
        }
      }
      start[FRAME_COUNT] = at;
      forwarder.spanTicks = e.spanTicks;
      ByteBuffer hello = ByteBuffer.wrap(new byte[FrameDescriptor.HELLO_FRAME_LENGTH]);
      writer.writeHello(hello, 0, BOARD, 0, new BoardHello(0, 4000, 1000, 1, 0, 2, 16, 0));
      reader.decode(hello, forwarder);
    }

    void decodeNext() {
      int f = frame;
      int at = start[f];
      int end = start[f + 1];
      while (at < end) {
        at += reader.decode(stream, at, end - at, forwarder);
      }
      if (++f == FRAME_COUNT) {
        forwarder.offsetTicks += forwarder.spanTicks; // next pass, later in data time
        f = 0;
      }
      frame = f;
    }
  }

  /**
   * Forwards decoded frames to the pipeline, shifting board times by the pass offset (the replayed
   * stream continues in data time).
   */
  static final class Forwarder implements FrameVisitor {
    private final EventPipeline pipeline;
    private int boardId;
    private int statusChannelsLeft;
    long offsetTicks;
    long spanTicks;

    Forwarder(EventPipeline pipeline) {
      this.pipeline = pipeline;
    }

    @Override
    public void onHello(int boardId, long sequence, BoardHello hello) {
      pipeline.onHello(boardId, hello.tickLengthPs());
    }

    @Override
    public void onEventsBegin(int boardId, long sequence, int eventCount) {
      this.boardId = boardId;
      pipeline.onEventsBegin(boardId);
    }

    @Override
    public void onEventsEnd(int boardId, long sequence) {
      pipeline.onEventsEnd();
    }

    @Override
    public void onEvent(long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore) {
      pipeline.onFrameEvent(channel, timestampTicks + offsetTicks, energyAdc, flags, lostTriggersBefore);
    }

    @Override
    public void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks, int reactorState,
        int channelCount) {
      this.boardId = boardId;
      pipeline.onStatusBegin(boardId, boardTimeTicks + offsetTicks, realTimeTicks + offsetTicks, reactorState);
      statusChannelsLeft = channelCount;
      if (channelCount == 0) {
        pipeline.onStatusEnd(boardId);
      }
    }

    @Override
    public void onChannelStatus(int channel, long liveTimeTicks, long deadTimeTicks, long acceptedTriggers,
        long lostTriggers) {
      pipeline.onStatusChannel(boardId, channel, liveTimeTicks + offsetTicks, deadTimeTicks, acceptedTriggers,
          lostTriggers);
      if (--statusChannelsLeft == 0) {
        pipeline.onStatusEnd(boardId);
      }
    }

    @Override
    public void onGoodbye(int boardId, long sequence, int reasonCode) {}
  }
}
