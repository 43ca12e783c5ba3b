package org.nudaq.server.journal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.server.journal.JournalWriter;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Journal append rate on the pipeline thread, in events/s (one operation = one event): the daemon's
 * {@link JournalWriter#frame} of 1000-event EVENTS frames ({@link BenchStream}) into a Chronicle
 * Queue in a temporary directory (a new one per iteration, deleted after it), free-space probes and
 * housekeeping included. The queue is memory-mapped: this is the rate into the page cache; the kernel
 * writes it back to the disk in the background.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JournalAppendBenchmark {
  private static final int POOL = 64;

  private byte[][] frames;
  private NudaqConfig config;
  private Path dir;
  private JournalWriter writer;
  private int next;

  @Setup(Level.Trial)
  public void setUpTrial() {
    config = BenchStream.gemma1();
    BenchStream.Events e = BenchStream.Events.generate(POOL * BenchStream.EVENTS_PER_FRAME, 3);
    frames = java.util.Arrays.stream(BenchStream.frames(e, POOL))
        .filter(f -> (f[FrameDescriptor.TYPE_OFFSET] & 0xFF) == FrameDescriptor.TYPE_EVENTS).toArray(byte[][]::new);
  }

  @Setup(Level.Iteration)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("nudaq-append-bench");
    writer = new JournalWriter(dir.resolve("journal"), config.journal(), Clock.systemUTC());
    writer.session(config.source(), "bench");
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    writer.close();
    BenchStream.deleteTree(dir);
  }

  @Benchmark
  @OperationsPerInvocation(BenchStream.EVENTS_PER_FRAME)
  public void append() {
    byte[] f = frames[next];
    writer.frame(BenchStream.BOARD, f, f.length, 0);
    next = (next + 1) % frames.length;
  }
}
