package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.ChildJvm;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.cli.ServerMain;
import org.nudaq.server.daemon.SimulatedRuns;
import org.nudaq.server.replay.ReplayResult;
import org.nudaq.sim.server.FaultSpec;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;

/**
 * A daemon started while the journal volume is below its free-space floor (the probe seam, in a child
 * JVM: {@link FloorProbeDaemon}) journals its SESSION record once space returns, before any frame;
 * killed with -9 after that, the restarted daemon ({@code ServerMain run}) recovers the session with
 * every journaled frame, {@code nudaq replay} finds it, and the frames the board numbered = journaled +
 * counted lost. On the old code the SESSION record was refused once and never retried: the frames
 * belonged to no session (issue 13: 70,188 frames unrecoverable).
 */
class DiskFloorAtStartTest {
  private static final double DAYS = 1.2;

  @Test
  void aDaemonStartedBelowTheFloorJournalsItsSessionWhenSpaceReturnsAndKillNineLosesNothing(@TempDir Path dir)
      throws Exception {
    NudaqConfig config = SimulatedRuns.gemma1Closure(0.8, 0.4, 0, 43);
    Simulation sim = new Simulation(config, new Simulation.Settings(Pacing.max(), FaultSpec.parse(""), DAYS,
        List.of(new InetSocketAddress("127.0.0.1", 0)), "test"));
    sim.start();
    Path data = dir.resolve("data");
    Path journal = data.resolve("journal");
    Path full = dir.resolve("disk-full.flag");
    Files.createFile(full);
    Process daemon = null;
    try {
      Path yaml = CrashRecoveryTest.daemonConfig(dir, sim.boundAddress(0).getPort());
      Path log1 = dir.resolve("daemon-1.log");
      daemon = startFloorProbeDaemon(yaml, data, full, log1);
      awaitLog(daemon, log1, "disk full");
      awaitLog(daemon, log1, "daemon started");
      Thread.sleep(1500); // the board connects, sends its HELLO and frames: held back, none journaled
      assertThat(JournalSession.all(journal)).as("nothing journaled below the floor").isEmpty();

      Files.delete(full); // space returns
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (framesJournaled(journal) < 200) {
        assertThat(daemon.isAlive()).as("daemon 1 alive (see %s)", log1).isTrue();
        assertThat(System.nanoTime()).as("frames journaled after space returned").isLessThan(deadline);
        Thread.sleep(20);
      }
      daemon.destroyForcibly(); // kill -9
      assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
      List<JournalSession> killed = JournalSession.all(journal);
      assertThat(killed).as("the session record was journaled once space returned").hasSize(1);
      assertThat(killed.get(0).closed()).isFalse();

      Path log2 = dir.resolve("daemon-2.log");
      daemon = ChildJvm.daemon(yaml, data, log2);
      sim.generationEnd().get(180, TimeUnit.SECONDS);
      assertThat(sim.awaitGoodbyes(180, TimeUnit.SECONDS)).isTrue();
      GoodbyeJournaled.await(journal, daemon, log2);
      daemon.destroy(); // SIGTERM: finishes and closes the session
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(log2)).contains("recovered the unclosed journal session").doesNotContain("deleted by");
    } finally {
      if (daemon != null && daemon.isAlive()) {
        daemon.destroyForcibly();
      }
      sim.close();
    }

    // One session, closed, continued by the restart; results equal its replay; nudaq replay finds it.
    CrashRecoveryTest.Verified verified = CrashRecoveryTest.assertOnlineResultsEqualReplayOfTheWholeJournal(data);
    ReplayResult replay = verified.replay();
    long lost = verified.accounting().get("lostFrames").asLong();
    FramesAccounted.assertEveryFrameThroughTheLastJournaledIsJournaledOrLost("disk floor at start", journal,
        sim.links().get(0), replay.frames(), lost);
    int status = ServerMain.commandLine().execute("replay", "--journal", journal.toString(), "--out",
        dir.resolve("replay-out").toString());
    assertThat(status).as("nudaq replay of the journal").isZero();
  }

  private static long framesJournaled(Path journal) {
    if (!Files.isDirectory(journal)) {
      return 0;
    }
    long[] n = new long[1];
    try (JournalReader reader = new JournalReader(journal)) {
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
          n[0]++;
        }
      };
      while (reader.next(v)) {
        // count
      }
    } catch (RuntimeException e) {
      return 0; // not created yet
    }
    return n[0];
  }

  private static void awaitLog(Process daemon, Path log, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      assertThat(daemon.isAlive()).as("daemon alive (see %s)", log).isTrue();
      assertThat(System.nanoTime()).as("'%s' in %s", text, log).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static Process startFloorProbeDaemon(Path yaml, Path data, Path flag, Path log) throws IOException {
    return ChildJvm.start(log, List.of(), FloorProbeDaemon.class.getName(), yaml.toString(), data.toString(), flag.toString());
  }
}
