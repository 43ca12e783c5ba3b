package org.nudaq.server.pipeline.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.monitor.wire.FrameVisitor;
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
 *       {@value BenchStream#STATUS_EVERY_FRAMES} frames, forwarded to the pipeline by a {@link FrameVisitor}.</li>
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

  private BenchStream.Events events;
  private long offsetTicks;
  private int next;
  private EventPipeline pipeline;

  @Setup
  public void setUp() {
    pipeline = new EventPipeline(BenchStream.gemma1());
    events = BenchStream.Events.generate(EVENTS, 42);
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

  /**
   * The events as one board's wire stream ({@link BenchStream#frames}). One invocation decodes one
   * EVENTS frame and the STATUS frame that follows it, if any.
   */
  @State(Scope.Thread)
  public static class Frames {
    static final int EVENTS_PER_FRAME = BenchStream.EVENTS_PER_FRAME;
    static final int FRAME_COUNT = 256;

    private final FrameReader reader = new FrameReader();
    private ByteBuffer stream;
    /** Invocation k decodes the bytes [start[k], start[k + 1]). */
    private int[] start;
    private int frame;
    private Forwarder forwarder;

    @Setup
    public void setUp() {
      EventPipeline pipeline = new EventPipeline(BenchStream.gemma1());
      forwarder = new Forwarder(pipeline);
      BenchStream.Events e = BenchStream.Events.generate(EVENTS_PER_FRAME * FRAME_COUNT, 7);
      byte[][] frames = BenchStream.frames(e, FRAME_COUNT);
      int total = 0;
      for (byte[] f : frames) {
        total += f.length;
      }
      stream = ByteBuffer.wrap(new byte[total]);
      start = new int[FRAME_COUNT + 1];
      int at = 0;
      int k = 0;
      for (byte[] f : frames) {
        // An invocation starts at each EVENTS frame; a STATUS frame goes with the EVENTS frame before it.
        if ((f[FrameDescriptor.TYPE_OFFSET] & 0xFF) == FrameDescriptor.TYPE_EVENTS) {
          start[k++] = at;
        }
        stream.put(at, f);
        at += f.length;
      }
      start[FRAME_COUNT] = at;
      forwarder.spanTicks = e.spanTicks;
      reader.decode(ByteBuffer.wrap(BenchStream.hello()), forwarder);
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
  public static final class Forwarder implements FrameVisitor {
    private final EventPipeline pipeline;
    private int boardId;
    private int statusChannelsLeft;
    public long offsetTicks;
    public long spanTicks;

    public Forwarder(EventPipeline pipeline) {
      this.pipeline = pipeline;
    }

    @Override
    public void onHello(int boardId, long sequence, BoardHello hello) {
      pipeline.onHello(boardId, hello.tickLengthPs());
    }

    @Override
    public void onEventsBegin(int boardId, long sequence, int eventCount) {
      this.boardId = boardId;
      pipeline.beginBoardFrame(boardId);
    }

    @Override
    public void onEventsEnd(int boardId, long sequence) {
      pipeline.endBatch();
    }

    @Override
    public void onEvent(long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore) {
      pipeline.onBoardFrameEvent(channel, timestampTicks + offsetTicks, energyAdc, flags, lostTriggersBefore);
    }

    @Override
    public void onEventRecords(ByteBuffer buffer, int offset, int count) {
      pipeline.onBoardFrameEvents(buffer, offset, count, offsetTicks);
    }

    @Override
    public void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks, int reactorState, long reactorPowerPpm,
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
