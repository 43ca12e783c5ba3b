package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.DigitizerConfig;
import org.nudaq.monitor.config.HttpConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.daemon.SimulatedRuns;
import org.nudaq.server.link.LinkStats;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.sim.replay.ReplayServer;
import org.nudaq.sim.server.Pacing;

/**
 * The real simulator → a daemon that journals; then the simulator's {@code --replay} serves that
 * journal over TCP to a second, fresh daemon: the second daemon's spectra and live times are the
 * first's, bit for bit (same frames, same order, through the live link and pipeline code).
 */
class SimulatorJournalReplayTest {

  @Test
  void aSecondDaemonFedByTheSimulatorReplayingTheFirstDaemonsJournalEndsWithIdenticalSpectraAndLiveTimes(
      @TempDir Path dir) throws Exception {
    Daemon first = SimulatedRuns.runToEnd(SimulatedRuns.gemma1Closure(4, 2, 0, 33), 6, dir.resolve("first"));
    PipelineSnapshot online = first.snapshot();
    Path journal = Daemon.journalDir(first.config(), dir.resolve("first"));

    List<BoardConfig> boards = first.config().digitizer().boards();
    List<Integer> ids = new ArrayList<>();
    List<InetSocketAddress> any = new ArrayList<>();
    for (BoardConfig b : boards) {
      ids.add(b.id());
      any.add(new InetSocketAddress("127.0.0.1", 0));
    }
    ReplayServer replay = new ReplayServer(journal, ids, any, Pacing.max());
    Daemon second;
    try {
      replay.start();
      List<BoardConfig> replayed = new ArrayList<>();
      for (int i = 0; i < boards.size(); i++) {
        BoardConfig b = boards.get(i);
        replayed.add(new BoardConfig(b.id(), "127.0.0.1", replay.boundAddress(i).getPort(), b.tickNs(), b.adcBits(), b.channels()));
      }
      NudaqConfig config = first.config().withDigitizer(new DigitizerConfig(replayed, 20, 200, 2000))
          .withHttp(new HttpConfig("127.0.0.1", 0, dir.resolve("second-control.token").toString()));
      second = new Daemon(config, dir.resolve("second"), Clock.systemUTC());
      second.start();
      replay.finished().get(60, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!allReceived(second)) {
        assertThat(System.nanoTime()).as("the second daemon receives every GOODBYE").isLessThan(deadline);
        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L); // poll, leaving the cores to the daemon
      }
      second.close();
    } finally {
      replay.close();
    }
    assertThat(replay.failure()).isNull();
    PipelineSnapshot again = second.snapshot();

    assertThat(online.totals().received()).isGreaterThan(10_000);
    assertThat(again.totals().received()).isEqualTo(online.totals().received());
    for (LinkStats l : second.links()) {
      assertThat(l.framesLost()).isZero();
      assertThat(l.boardRestarts()).isZero();
      assertThat(l.crcErrors()).isZero();
    }
    SnapshotAssert.assertBitIdentical(again, online);
    assertThat(online.detectors().get(0).liveTimeOnSeconds()).isGreaterThan(0);
  }

  private static boolean allReceived(Daemon d) {
    for (LinkStats l : d.links()) {
      if (l.goodbyes() == 0) {
        return false;
      }
    }
    return d.queue().size() == 0;
  }
}
