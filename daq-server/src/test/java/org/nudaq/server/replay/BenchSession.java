package org.nudaq.server.replay;

import java.nio.file.Path;
import java.time.Clock;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.bench.BenchStream;

/**
 * A journal session of the bench stream's frames, for the replay tests (parallel, segmented, read-only): the
 * board's HELLO, reactor ON at the start, the frames, reactor OFF after 60% of them (at 60% of their data time),
 * then CLOSED. The real {@link JournalWriter}; deterministic for a seed.
 */
public final class BenchSession {
  private BenchSession() {}

  /**
   * Appends the session to the journal at {@code journal} (made if missing).
   *
   * @param yaml       the configuration text of the SESSION record (its journal section is used to open the writer)
   * @param frameCount bench frames of {@link BenchStream#EVENTS_PER_FRAME} events each
   * @param seed       the events' random seed
   */
  public static void write(Path journal, String yaml, int frameCount, long seed) {
    BenchStream.Events e = BenchStream.Events.generate(frameCount * BenchStream.EVENTS_PER_FRAME, seed);
    byte[][] frames = BenchStream.frames(e, frameCount);
    long offAtNs = e.spanTicks * 4 * 6 / 10;
    try (JournalWriter w = new JournalWriter(journal, new ConfigLoader().parse("session.yaml", yaml).journal(), Clock.systemUTC())) {
      w.session("session.yaml", yaml);
      byte[] hello = BenchStream.hello();
      w.frame(BenchStream.BOARD, hello, hello.length, 0);
      w.reactorState(ReactorState.ON, 1.0, 0);
      for (int f = 0; f < frames.length; f++) {
        if (f == frames.length * 6 / 10) {
          w.reactorState(ReactorState.OFF, 0.0, offAtNs);
        }
        w.frame(BenchStream.BOARD, frames[f], frames[f].length, 0);
      }
      w.finished();
    }
  }
}
