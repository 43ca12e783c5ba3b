package org.nudaq.server.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.pipeline.bench.BenchStream;

/**
 * Writes the input of the parallel-replay benchmark (a documented command, not part of the suite;
 * docs/benchmarks.md "Parallel replay"): a journal of {@code SESSIONS} sessions of the benchmarks'
 * GEMMA-I-like stream ({@link BenchStream}: HELLO, 1000-event frames, a STATUS frame every 50), each
 * with the configuration text of config/gemma-1.yaml and its own seed, {@code EVENTS} events in all.
 * One session's events are generated at a time (~20 bytes of heap per event of a session).
 *
 * <p>usage: {@code SessionsJournalWriter JOURNAL_DIR EVENTS SESSIONS}
 */
public final class SessionsJournalWriter {
  private SessionsJournalWriter() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: SessionsJournalWriter JOURNAL_DIR EVENTS SESSIONS");
    }
    Path journal = Path.of(args[0]);
    long events = (long) Double.parseDouble(args[1]);
    int sessions = Integer.parseInt(args[2]);
    if (Files.exists(journal)) {
      throw new IllegalArgumentException(journal + " exists");
    }
    NudaqConfig config = BenchStream.gemma1();
    String yaml = Files.readString(Path.of(config.source()));
    int framesPerSession = (int) (events / sessions / BenchStream.EVENTS_PER_FRAME);
    for (int s = 0; s < sessions; s++) {
      BenchStream.Events e = BenchStream.Events.generate(framesPerSession * BenchStream.EVENTS_PER_FRAME, 1000 + s);
      byte[][] frames = BenchStream.frames(e, framesPerSession);
      try (JournalWriter w = new JournalWriter(journal, config.journal(), Clock.systemUTC())) {
        w.session(config.source(), yaml);
        byte[] hello = BenchStream.hello();
        w.frame(BenchStream.BOARD, hello, hello.length, 0);
        for (byte[] f : frames) {
          w.frame(BenchStream.BOARD, f, f.length, 0);
        }
        w.finished();
      }
      System.out.printf("session %d: %d events%n", s + 1, (long) framesPerSession * BenchStream.EVENTS_PER_FRAME);
    }
  }
}
