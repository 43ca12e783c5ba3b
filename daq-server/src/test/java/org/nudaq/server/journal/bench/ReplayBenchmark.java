package org.nudaq.server.journal.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.compass.CompassImport;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.pipeline.bench.BenchStream;
import org.nudaq.server.replay.JournalReplay;
import org.nudaq.server.replay.ReplayResult;
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
 * Replay rates on one core, in events/s (one operation = one event), of the {@link BenchStream}
 * stream (1000-event frames of per-channel aggregates, STATUS frames, reactor ON) of
 * {@value #EVENTS} events, written once per trial to a journal (Chronicle Queue) and to CoMPASS
 * 2022 binary files (one per channel) in a temporary directory:
 *
 * <ul>
 *   <li>{@link #journalReplay}: {@code nudaq replay --journal} without the command line: Chronicle
 *       read, CRC check and decoding, the whole pipeline (a fresh one per replay), finish.</li>
 *   <li>{@link #journalRead}: the Chronicle read alone (every record into a visitor that only counts).</li>
 *   <li>{@link #plainSequentialRead}: as many bytes as the journal's records hold, read sequentially
 *       from its queue files (memory-mapped, copied out in 1 MiB blocks): the ceiling for any reader
 *       of those bytes.</li>
 *   <li>{@link #compassImport}: {@code nudaq replay --compass}: mapped CoMPASS files, time merge of the
 *       files, the whole pipeline.</li>
 * </ul>
 * The queue and CoMPASS files stay in the page cache (~80 MB and ~100 MB), so no disk is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReplayBenchmark {
  static final int FRAMES = 5000;
  static final int EVENTS = FRAMES * BenchStream.EVENTS_PER_FRAME;

  private Path dir;
  private Path journal;
  private Path compass;
  private NudaqConfig config;
  private JournalSession session;
  private final byte[] block = new byte[1 << 20];
  /** Bytes of the journal's records (frames with their record headers). */
  private long journalBytes;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    config = BenchStream.gemma1();
    dir = Files.createTempDirectory("nudaq-replay-bench");
    journal = dir.resolve("journal");
    BenchStream.Events e = BenchStream.Events.generate(EVENTS, 11);
    try (JournalWriter w = new JournalWriter(journal, config.journal(), Clock.systemUTC())) {
      w.session(config.source(), Files.readString(Path.of(config.source())));
      byte[] hello = BenchStream.hello();
      w.frame(BenchStream.BOARD, hello, hello.length, 0);
      for (byte[] f : BenchStream.frames(e, FRAMES)) {
        w.frame(BenchStream.BOARD, f, f.length, 0);
      }
      w.finished();
      journalBytes = w.bytesAppended();
    }
    session = JournalSession.last(journal);
    compass = Files.createDirectories(dir.resolve("compass"));
    writeCompass(compass.resolve("Data_CH0@DT5781_0_run.BIN"), e, 0);
    writeCompass(compass.resolve("Data_CH1@DT5781_0_run.BIN"), e, 1);
  }

  /** One 2022-format file (header 0xCAE5: energy and energy short, no waveform) of one channel's events. */
  static void writeCompass(Path file, BenchStream.Events e, int channel) throws IOException {
    ByteBuffer rec = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write(new byte[] {(byte) 0xE5, (byte) 0xCA});
      // In time order per channel (the aggregates keep each channel's order).
      for (int i = 0; i < e.ticks.length; i++) {
        if (e.channel[i] != channel) {
          continue;
        }
        int flags = (e.flags[i] & 0x1) != 0 ? 0x8000 : 0; // CoMPASS pile-up
        rec.clear();
        rec.putShort((short) 0).putShort((short) channel).putLong(e.ticks[i] * 4000).putShort((short) e.adc[i])
            .putShort((short) 0).putInt(flags);
        out.write(rec.array());
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    BenchStream.deleteTree(dir);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public ReplayResult journalReplay() {
    ReplayResult r = new JournalReplay().replay(journal, session, config, Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max());
    if (r.events() != EVENTS) {
      throw new IllegalStateException("replayed " + r.events() + " events, expected " + EVENTS);
    }
    return r;
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long journalRead() {
    Counting c = new Counting();
    try (JournalReader reader = new JournalReader(journal)) {
      reader.moveTo(session.startIndex());
      while (reader.next(c)) {
        // every record
      }
    }
    return c.bytes;
  }

  /** The queue files read in order (memory-mapped, copied out in blocks), up to the journal's record bytes. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long plainSequentialRead() throws IOException {
    long sum = 0;
    long left = journalBytes;
    byte[] block = this.block;
    List<Path> files;
    try (Stream<Path> s = Files.list(journal)) {
      files = s.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
    }
    for (Path f : files) {
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        // Queue files are sparse and preallocated: read only as many bytes as the records hold.
        long n = Math.min(ch.size(), left);
        left -= n;
        ByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, n);
        // Copied out in 1 MiB blocks (as the Chronicle reader copies each frame): every byte read once.
        while (mapped.hasRemaining()) {
          int k = Math.min(block.length, mapped.remaining());
          mapped.get(block, 0, k);
          sum += block[k - 1];
        }
      }
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public CompassImport.Result compassImport() {
    CompassImport.Result r = new CompassImport(config).run(compass);
    if (r.replay().events() != EVENTS) {
      throw new IllegalStateException("imported " + r.replay().events() + " events, expected " + EVENTS);
    }
    return r;
  }

  /** Counts the bytes of the frames read. */
  private static final class Counting implements JournalVisitor {
    long bytes;

    @Override
    public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
      bytes += length + data[0];
    }
  }
}
