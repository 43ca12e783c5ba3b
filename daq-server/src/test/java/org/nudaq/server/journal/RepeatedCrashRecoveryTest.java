package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.ChildJvm;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.SpectrumJson;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.daemon.SimulatedRuns;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.replay.JournalReplay;
import org.nudaq.server.replay.ReplayResult;
import org.nudaq.sim.server.FaultSpec;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;

/**
 * kill -9 of the daemon JVM at several random (seeded) moments of one simulated run — one of them
 * possibly during the recovery of the previous kill or while a checkpoint is being written — each
 * followed by a restart: the last daemon recovers through a checkpoint, its final numbers equal an
 * uninterrupted replay of the whole journal, and the simulator's ground truth accounts for every frame
 * and event (journaled, or lost in the sequence gaps the kills made).
 */
class RepeatedCrashRecoveryTest {
  private static final double DAYS = 10;
  private static final int KILLS = 3;
  private static final long SEED = 20261125L;

  @Test
  void threeKillsAtRandomMomentsThenTheFinalNumbersEqualAReplayOfTheWholeJournal(@TempDir Path dir) throws Exception {
    NudaqConfig config = SimulatedRuns.gemma1Closure(6, 4, 0, 43);
    Simulation sim = new Simulation(config, new Simulation.Settings(Pacing.max(), FaultSpec.parse(""), DAYS,
        List.of(new InetSocketAddress("127.0.0.1", 0)), "test"));
    // Kill points: NaI events sent by the board, drawn uniformly in [50,000, 800,000) and sorted.
    SplittableRandom random = new SplittableRandom(SEED);
    long[] killAt = new long[KILLS];
    for (int i = 0; i < KILLS; i++) {
      killAt[i] = random.nextLong(50_000, 800_000);
    }
    Arrays.sort(killAt);
    Path data = dir.resolve("data");
    Path journal = data.resolve("journal");
    sim.start();
    Process daemon = null;
    try {
      Path yaml = CrashRecoveryTest.daemonConfig(dir, sim.boundAddress(0).getPort());
      for (int k = 0; k < KILLS; k++) {
        daemon = ChildJvm.daemon(yaml, data, dir.resolve("daemon-" + (k + 1) + ".log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // At the seeded moment, but not before the first checkpoint exists.
        while (sim.links().get(0).counters().sentEvents(1) < killAt[k] || !CrashRecoveryTest.checkpointWritten(data)) {
          assertThat(daemon.isAlive()).as("daemon %d alive (see its log)", k + 1).isTrue();
          assertThat(System.nanoTime()).as("simulator progress to kill %d", k + 1).isLessThan(deadline);
          Thread.sleep(5);
        }
        daemon.destroyForcibly(); // SIGKILL
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isEqualTo(137);
        System.out.printf("repeated crash: kill %d at %d NaI events sent%n", k + 1, sim.links().get(0).counters().sentEvents(1));
      }
      assertThat(Files.exists(data.resolve("run-summary.json"))).as("killed daemons write no summary").isFalse();
      daemon = ChildJvm.daemon(yaml, data, dir.resolve("daemon-last.log"));
      sim.generationEnd().get(180, TimeUnit.SECONDS);
      assertThat(sim.awaitGoodbyes(180, TimeUnit.SECONDS)).isTrue();
      GoodbyeJournaled.await(journal, daemon, dir.resolve("daemon-last.log"));
      daemon.destroy(); // SIGTERM: drain, finish, write the results, close the session
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(dir.resolve("daemon-last.log"))).contains("recovered the unclosed journal session")
          .contains("restored the checkpoint state-");
    } finally {
      if (daemon != null && daemon.isAlive()) {
        daemon.destroyForcibly();
      }
      sim.close();
    }

    // One session, continued by every restart, closed by the last daemon; the last daemon's results
    // equal the uninterrupted replay of the whole journal, bit for bit.
    CrashRecoveryTest.Verified verified = CrashRecoveryTest.assertOnlineResultsEqualReplayOfTheWholeJournal(data);
    ReplayResult replay = verified.replay();
    JsonNode acc = verified.accounting();
    JsonNode recovery = new ObjectMapper().readTree(data.resolve("run-summary.json").toFile()).get("recovery");
    System.out.printf("repeated crash: the last start's recovery %s%n", recovery);
    assertThat(recovery.get("fromCheckpoint").asBoolean()).as("recovery: %s", recovery).isTrue();
    assertThat(recovery.get("framesReplayed").asLong()).isLessThan(recovery.get("sessionFrames").asLong());

    // Ground truth: every frame the board numbered through the last one journaled is journaled or in a
    // gap a kill made (FramesAccounted); the events not journaled travelled in those frames, at most
    // simulator.aggregateMaxEvents each.
    long lostFrames = acc.get("lostFrames").asLong();
    FramesAccounted.assertEveryFrameThroughTheLastJournaledIsJournaledOrLost("repeated crash", journal, sim.links().get(0),
        replay.frames(), lostFrames);
    JsonNode truth = new ObjectMapper().valueToTree(sim.truthSummary());
    long sent = 0;
    for (JsonNode ch : truth.get("boards").get(0).get("channels")) {
      sent += ch.get("sentEvents").asLong();
    }
    System.out.printf("repeated crash: events sent %d, journaled %d%n", sent, replay.events());
    assertThat(replay.events()).isEqualTo(replay.snapshot().totals().received());
    assertThat(sent - replay.events()).isGreaterThanOrEqualTo(0)
        .isLessThanOrEqualTo(lostFrames * config.simulator().aggregateMaxEvents());
    if (lostFrames == 0) {
      assertThat(replay.events()).isEqualTo(sent);
    }
  }
}
