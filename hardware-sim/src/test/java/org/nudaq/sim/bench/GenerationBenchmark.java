package org.nudaq.sim.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.physics.ConfiguredPhysics;
import org.nudaq.monitor.physics.PhysicsModel;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.sim.board.BoardBuffer;
import org.nudaq.sim.board.DigitizerModel;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.generator.PhysicsRecoilRates;
import org.nudaq.sim.wire.ByteBufFrameWriter;
import org.nudaq.sim.wire.EventBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Generation + board model + encoding on one thread: events per second of the simulator's producer
 * path with the NaI at 1 MHz (event-dominated). One operation = 10 ms of detector time ≈ 10 000
 * events; the score is reported per event.
 *
 * <p>Run: {@code java -cp <hardware-sim test classpath> org.openjdk.jmh.Main GenerationBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GenerationBenchmark {
  private static final long STEP_NS = 10_000_000L;
  /** Mean events per step: 1 MHz NaI singles × 10 ms (HPGe and muons are negligible beside it). */
  static final int EVENTS_PER_STEP = 10_000;

  private EventGenerator generator;
  private BoardBuffer buffer;
  private final ByteBufFrameWriter writer = new ByteBufFrameWriter();
  private ByteBuf out;
  private long sequence;
  private long until;
  long bytes;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String yaml = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("nudaq.config", "../config/gemma-1.yaml")))
        .replace("  naiSinglesHz: 50\n", "  naiSinglesHz: 1000000\n  bufferEvents: 1000000\n");
    NudaqConfig c = new ConfigLoader().parse("bench.yaml", yaml);
    PhysicsModel model = ConfiguredPhysics.model(c);
    buffer = new BoardBuffer(c.simulator().bufferEvents(), c.simulator().aggregateMaxEvents(), false);
    DigitizerModel dm = new DigitizerModel(c, List.of(buffer), DigitizerModel.DEFAULT_AGGREGATE_MAX_AGE_NS, 64);
    generator = new EventGenerator(c, List.of(new PhysicsRecoilRates(model, 0, 0)), dm);
    dm.attach(generator);
    out = Unpooled.directBuffer(FrameDescriptor.MAX_FRAME_LENGTH);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS_PER_STEP)
  public long generateAndEncode() {
    until += STEP_NS;
    generator.generateUntil(until);
    Object o;
    while ((o = buffer.poll()) != null) {
      out.clear();
      if (o instanceof EventBatch b) {
        writer.writeEvents(out, 0, sequence++, b);
        buffer.release(b);
      } else {
        writer.writeStatus(out, 0, sequence++, (BoardStatus) o);
      }
      bytes += out.writerIndex();
    }
    return bytes;
  }
}
