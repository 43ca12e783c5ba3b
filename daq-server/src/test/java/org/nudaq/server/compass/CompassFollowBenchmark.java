package org.nudaq.server.compass;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.bench.BenchStream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The live follow of a CoMPASS folder on one core, in events/s (one operation = one event), on the
 * {@link BenchStream} events written as a finished CoMPASS run (two channel files, 2022 header 0xCAE5,
 * 20-byte records; in the page cache):
 * <ul>
 *   <li>{@link #followRead}: both channel files through {@link FollowedChannel} (the growing-file reader:
 *       complete-record check, (board, channel) check, offsets) — the reader;</li>
 *   <li>{@link #followToFrames}: the run through {@link CompassFeed} and {@link CompassFrameInputs} into wire
 *       frames ready for the frame queue (without the position log's line per slab, one small append) — what
 *       the daemon's follow thread does; comparable to {@code ReplayBenchmark.compassImport}, which feeds a
 *       pipeline instead of making frames.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Measurement(iterations = 5, time = 2)
public class CompassFollowBenchmark {
  static final int EVENTS = 2_000_000;

  private NudaqConfig config;
  private Path dir;
  private final String[] names = {"DataR_CH0@DT5730_100_run_1.BIN", "DataR_CH1@DT5730_100_run_1.BIN"};

  private static final FollowedChannel.Context DONE = new FollowedChannel.Context() {
    @Override public boolean runComplete() {
      return true;
    }

    @Override public void pause() {
      throw new IllegalStateException("a finished run never waits");
    }

    @Override public void formatError(CompassFormatException e) {
      throw e;
    }
  };

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    config = BenchStream.gemma1();
    BenchStream.Events e = BenchStream.Events.generate(EVENTS, 11);
    dir = Files.createTempDirectory("compass-follow-bench");
    ByteBuffer[] files = {ByteBuffer.allocate(2 + EVENTS * 20).order(ByteOrder.LITTLE_ENDIAN),
        ByteBuffer.allocate(2 + EVENTS * 20).order(ByteOrder.LITTLE_ENDIAN)};
    for (ByteBuffer f : files) {
      f.putShort((short) 0xCAE5);
    }
    for (int i = 0; i < EVENTS; i++) {
      int flags = (e.flags[i] & 0x1) != 0 ? 0x8000 : 0;
      files[e.channel[i]].putShort((short) 0).putShort((short) e.channel[i]).putLong(e.ticks[i] * 4000).putShort((short) e.adc[i])
          .putShort((short) 0).putInt(flags);
    }
    for (int c = 0; c < 2; c++) {
      try (OutputStream out = Files.newOutputStream(dir.resolve(names[c]))) {
        out.write(files[c].array(), 0, files[c].position());
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    BenchStream.deleteTree(dir);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long followRead() {
    long sum = 0;
    for (String name : names) {
      FollowedChannel c = new FollowedChannel(dir, name, 0, 0, CompassGrowingBinary.FROM_HEADER, false, DONE);
      while (c.next()) {
        sum += c.timestampPs() + c.energyAdc() + c.flags() + c.recordOffset();
      }
      c.close();
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long followToFrames(Blackhole bh) {
    long[] bytes = new long[1];
    CompassFrameInputs inputs = new CompassFrameInputs(config.digitizer().boards(), new CompassFrameInputs.Output() {
      @Override public void frame(int boardId, ByteBuffer buffer, int length) {
        bytes[0] += length;
        bh.consume(buffer);
      }

      @Override public void reactor(ReactorState state, double powerFraction, long effectiveTimeNs) {
        bh.consume(state);
      }
    });
    CompassFeed feed = new CompassFeed(config, inputs, null);
    FollowedChannel[] channels = new FollowedChannel[names.length];
    for (int i = 0; i < names.length; i++) {
      channels[i] = new FollowedChannel(dir, names[i], 0, 0, CompassGrowingBinary.FROM_HEADER, false, DONE);
    }
    feed.startRun(channels, 0, CompassFeed.INITIAL_SLAB_PS, -1);
    while (feed.slab()) {
      // slab after slab, as the follow thread does
    }
    for (FollowedChannel c : channels) {
      c.close();
    }
    return bytes[0] + feed.events();
  }
}
