package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.pipeline.bench.BenchStream;

/**
 * Issue 19: the sessions of one journal replayed on several threads give, session by session, the same
 * bits as replaying each alone on one thread: the same snapshot (every bin, every live-time double,
 * every count) and the same digest of the spectra files written. Three sessions of the bench stream
 * (GEMMA-I-like events with a STATUS frame every 50 frames), the reactor state from the control path
 * with an ON → OFF transition inside each session, different seeds and lengths.
 */
class ParallelReplayTest {

  @Test
  void sessionsReplayedOnSeveralThreadsAreBitIdenticalToEachReplayedAlone(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    NudaqConfig base = BenchStream.gemma1();
    String yaml = Files.readString(Path.of(base.source())).replace("reactorStateSource: digitizer", "reactorStateSource: control");
    assertThat(yaml).contains("reactorStateSource: control");
    int[] frames = {12, 8, 16};
    for (int s = 0; s < frames.length; s++) {
      BenchSession.write(journal, yaml, frames[s], 100 + s);
    }
    List<JournalSession> sessions = JournalSession.all(journal);
    assertThat(sessions).hasSize(3);

    ReplayResult[] alone = new ReplayResult[3];
    for (int s = 0; s < 3; s++) {
      alone[s] = new JournalReplay().replay(journal, sessions.get(s), JournalReplay.sessionConfig(sessions.get(s)),
          Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max());
      assertThat(alone[s].events()).isEqualTo(frames[s] * (long) BenchStream.EVENTS_PER_FRAME);
      // The transition took effect: both states have live time, so the parallel replay is compared on both.
      assertThat(alone[s].snapshot().detectors().get(0).liveTimeBeforeGatesOnSeconds()).isGreaterThan(0);
      assertThat(alone[s].snapshot().detectors().get(0).liveTimeBeforeGatesOffSeconds()).isGreaterThan(0);
    }
    for (int threads : new int[] {2, 3}) {
      List<ParallelReplay.SessionResult> parallel = new ParallelReplay().replay(journal, sessions, List.of(1, 2, 3),
          JournalReplay::sessionConfig, Long.MIN_VALUE, Long.MAX_VALUE, threads);
      assertThat(parallel).extracting(ParallelReplay.SessionResult::number).containsExactly(1, 2, 3);
      for (int s = 0; s < 3; s++) {
        ReplayResult p = parallel.get(s).result();
        assertThat(parallel.get(s).session()).isEqualTo(sessions.get(s));
        assertThat(p.events()).isEqualTo(alone[s].events());
        assertThat(p.accountingBalances()).isTrue();
        SnapshotAssert.assertBitIdentical(p.snapshot(), alone[s].snapshot());
        String expected = spectraDigest(alone[s], dir.resolve("alone-" + threads + "-" + s));
        assertThat(spectraDigest(p, dir.resolve("parallel-" + threads + "-" + s))).isEqualTo(expected);
      }
    }
  }

  @Test
  void zeroThreadsIsRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> new ParallelReplay().replay(dir, List.of(), List.of(), s -> null, 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--threads");
  }

  /** SHA-256 over the spectra files a replay writes: the one digest of the replay tests. */
  private static String spectraDigest(ReplayResult r, Path out) throws Exception {
    return SpectraDigest.of(r, out);
  }
}
