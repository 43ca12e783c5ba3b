package org.nudaq.monitor.wire.bench;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.monitor.wire.FrameVisitor;
import org.nudaq.monitor.wire.FrameWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second through the wire codec for 1000-event EVENTS frames: encode (FrameWriter),
 * decode (FrameReader incl. CRC-32C and a visitor that touches every field), and both. Results are
 * per event ({@code @OperationsPerInvocation(1000)}). Target: decode ≥ 30 M events/s.
 *
 * <p>Run: {@code java -cp <test classpath> org.openjdk.jmh.Main WireCodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WireCodecBenchmark {

  private static final int EVENTS = 1000;

  @Param({"heap", "direct"})
  public String buffer;

  private final FrameWriter writer = new FrameWriter();
  private final FrameReader reader = new FrameReader();
  private final SummingVisitor visitor = new SummingVisitor();
  private final long[] timestamps = new long[EVENTS];
  private final int[] channels = new int[EVENTS];
  private final int[] energies = new int[EVENTS];
  private final int[] flags = new int[EVENTS];
  private ByteBuffer frame;
  private int frameLength;

  @Setup
  public void setUp() {
    int capacity = FrameDescriptor.eventsFrameLength(EVENTS);
    frame = "direct".equals(buffer) ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    SplittableRandom random = new SplittableRandom(1L);
    long t = 0;
    for (int i = 0; i < EVENTS; i++) {
      t += 1 + random.nextInt(2500); // ~100 kHz at 4 ns ticks
      timestamps[i] = t;
      channels[i] = random.nextInt(8);
      energies[i] = random.nextInt(16384);
      flags[i] = random.nextInt(100) == 0 ? 1 : 0;
    }
    frameLength = encode();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public int encodeEvents() {
    return encode();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long decodeEvents() {
    visitor.sum = 0;
    reader.decode(frame, 0, frameLength, visitor);
    return visitor.sum;
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long encodeAndDecodeEvents() {
    int length = encode();
    visitor.sum = 0;
    reader.decode(frame, 0, length, visitor);
    return visitor.sum;
  }

  private int encode() {
    writer.beginEvents(frame, 0, 1, 0L);
    for (int i = 0; i < EVENTS; i++) {
      writer.appendEvent(timestamps[i], channels[i], energies[i], flags[i], 0);
    }
    return writer.finishEvents();
  }

  /** Folds every decoded field into one number so the JIT cannot skip the reads. */
  static final class SummingVisitor implements FrameVisitor {
    long sum;

    @Override
    public void onHello(int boardId, long sequence, BoardHello hello) {}

    @Override
    public void onEventsBegin(int boardId, long sequence, int eventCount) {
      sum += eventCount;
    }

    @Override
    public void onEvent(long timestampTicks, int channel, int energyAdc, int flags, int lost) {
      sum += timestampTicks ^ ((long) channel << 48 | (long) energyAdc << 32 | (long) flags << 16 | lost);
    }

    @Override
    public void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks,
        int reactorState, long reactorPowerPpm, int channelCount) {}

    @Override
    public void onChannelStatus(int channel, long live, long dead, long accepted, long lost) {}

    @Override
    public void onGoodbye(int boardId, long sequence, int reasonCode) {}
  }
}
