package org.nudaq.server.journal.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.FrameWriter;
import org.nudaq.server.compass.CompassImport;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.replay.JournalReplay;
import org.nudaq.server.replay.ReplayResult;

/**
 * Harness (run once, not a unit test): journal append rate, journal replay rate (decode + pipeline)
 * and CoMPASS import rate, in events/s, for GEMMA-I with 64-event frames of HPGe and NaI events
 * (1 in 4 HPGe, 10 µs apart on average). See docs/benchmarks.md for the command and results.
 */
public final class JournalBench {
  private JournalBench() {}

  public static void main(String[] args) throws Exception {
    int frames = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int perFrame = 64;
    Path dir = Files.createTempDirectory("nudaq-journal-bench");
    NudaqConfig config = new ConfigLoader().load(Path.of("config/gemma-1.yaml"));
    SplittableRandom rnd = new SplittableRandom(7);
    byte[][] pool = new byte[frames][];
    long t = 0;
    long seq = 1;
    for (int i = 0; i < pool.length; i++) {
      ByteBuffer buf = ByteBuffer.allocate(36 + 16 * perFrame);
      FrameWriter w = new FrameWriter();
      w.beginEvents(buf, 0, 0, seq++);
      for (int e = 0; e < perFrame; e++) {
        t += 1 + rnd.nextInt(5000); // 4 ns ticks: 10 µs mean
        boolean hpge = rnd.nextInt(4) == 0;
        w.appendEvent(t, hpge ? 0 : 1, hpge ? 500 + rnd.nextInt(4000) : 100 + rnd.nextInt(2000), 0, 0);
      }
      pool[i] = new byte[w.finishEvents()];
      buf.get(0, pool[i]);
    }
    Path journal = dir.resolve("journal");
    long t0;
    try (JournalWriter w = new JournalWriter(journal, config.journal(), Clock.systemUTC())) {
      w.session("config/gemma-1.yaml", Files.readString(Path.of("config/gemma-1.yaml")));
      byte[] hello = helloFrame();
      w.frame(0, hello, hello.length, 0);
      t0 = System.nanoTime();
      for (int i = 0; i < frames; i++) {
        byte[] f = pool[i];
        w.frame(0, f, f.length, 0);
      }
      long ns = System.nanoTime() - t0;
      System.out.printf("journal append: %d frames, %d events in %.3f s: %.3g events/s, %.3g frames/s, %.1f MB/s%n", frames,
          (long) frames * perFrame, ns * 1e-9, frames * (double) perFrame * 1e9 / ns, frames * 1e9 / ns,
          w.bytesAppended() * 1e3 / ns);
      w.finished();
    }
    JournalSession s = JournalSession.last(journal);
    ReplayResult r = new JournalReplay().replay(journal, s, config, Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max());
    System.out.printf("journal replay (read + decode + pipeline): %d events in %.3f s: %.3g events/s%n", r.events(),
        r.elapsedNanos() * 1e-9, r.eventsPerSecond());

    // CoMPASS: the same number of events as two 2022-format files (energy + energy short).
    Path compass = Files.createDirectories(dir.resolve("compass"));
    long n = (long) frames * perFrame;
    writeCompass(compass.resolve("Data_CH0.BIN"), 0, n / 4, 40_000);
    writeCompass(compass.resolve("Data_CH1.BIN"), 1, n - n / 4, 13_333);
    CompassImport.Result c = new CompassImport(config).run(compass);
    System.out.printf("CoMPASS import (read + merge + pipeline): %d events in %.3f s: %.3g events/s%n", c.replay().events(),
        c.replay().elapsedNanos() * 1e-9, c.replay().eventsPerSecond());
  }

  private static byte[] helloFrame() {
    ByteBuffer buf = ByteBuffer.allocate(64);
    int len = new FrameWriter().writeHello(buf, 0, 0, 0, new org.nudaq.monitor.wire.BoardHello(0, 4000, 1000, 1, 0, 2, 16, 1));
    byte[] out = new byte[len];
    buf.get(0, out);
    return out;
  }

  private static void writeCompass(Path file, int channel, long records, long meanStepPs) throws Exception {
    SplittableRandom rnd = new SplittableRandom(channel);
    ByteBuffer rec = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write(new byte[] {(byte) 0xE5, (byte) 0xCA});
      long ts = 0;
      for (long i = 0; i < records; i++) {
        ts += 1 + rnd.nextLong(2 * meanStepPs * 1000);
        rec.clear();
        rec.putShort((short) 0).putShort((short) channel).putLong(ts).putShort((short) (100 + rnd.nextInt(2000)))
            .putShort((short) 50).putInt(0);
        out.write(rec.array());
      }
    }
  }
}
