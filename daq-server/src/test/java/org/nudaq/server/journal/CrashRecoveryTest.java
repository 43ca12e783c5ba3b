package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.nudaq.monitor.spectrum.SpectrumJson;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.daemon.SimulatedRuns;
import org.nudaq.server.replay.JournalReplay;
import org.nudaq.server.replay.ReplayResult;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.sim.server.FaultSpec;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;

/**
 * kill -9 of the daemon (a separate JVM: {@code ServerMain run}) in the middle of a simulated run,
 * restart, finish: the restarted daemon recovers the journaled session from its newest state
 * checkpoint (taken every {@link #CHECKPOINT_INTERVAL} s here) and the journal after it, its final spectra
 * and live times equal a replay of the whole journal, and the simulator's frames, through the last one
 * journaled, are all either journaled or reported lost by the sequence gap ({@link FramesAccounted}).
 */
class CrashRecoveryTest {
  private static final double DAYS = 10;
  /** journal.checkpointIntervalSeconds of the daemons under test (300 in config/gemma-1.yaml). */
  static final String CHECKPOINT_INTERVAL = "0.2";

  @Test
  void killNineLosesNothingJournaledAndTheGapIsReportedAsLostFrames(@TempDir Path dir) throws Exception {
    NudaqConfig config = SimulatedRuns.gemma1Closure(6, 4, 0, 41);
    Simulation sim = new Simulation(config, new Simulation.Settings(Pacing.max(), FaultSpec.parse(""), DAYS,
        List.of(new InetSocketAddress("127.0.0.1", 0)), "test"));
    sim.start();
    Process daemon = null;
    try {
      Path yaml = daemonConfig(dir, sim.boundAddress(0).getPort());
      Path data = dir.resolve("data");
      daemon = ChildJvm.daemon(yaml, data, dir.resolve("daemon-1.log"));
      // Mid-run: once a good part of the run has been sent (the NaI channel carries most events) and
      // a checkpoint was written.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (sim.links().get(0).counters().sentEvents(1) < 400_000 || !checkpointWritten(data)) {
        assertThat(daemon.isAlive()).as("daemon 1 alive (see daemon-1.log)").isTrue();
        assertThat(System.nanoTime()).as("simulator progress").isLessThan(deadline);
        Thread.sleep(20);
      }
      daemon.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed by the daemon
      assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(daemon.exitValue()).isEqualTo(137);
      assertThat(Files.exists(data.resolve("run-summary.json"))).as("a killed daemon writes no summary").isFalse();

      daemon = ChildJvm.daemon(yaml, data, dir.resolve("daemon-2.log"));
      sim.generationEnd().get(180, TimeUnit.SECONDS);
      assertThat(sim.awaitGoodbyes(180, TimeUnit.SECONDS)).isTrue();
      Path journal = data.resolve("journal");
      GoodbyeJournaled.await(journal, daemon, dir.resolve("daemon-2.log"));
      daemon.destroy(); // SIGTERM: the daemon drains, finishes, writes its results and closes the session
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(dir.resolve("daemon-2.log"))).contains("recovered the unclosed journal session")
          .contains("restored the checkpoint state-");
    } finally {
      if (daemon != null && daemon.isAlive()) {
        daemon.destroyForcibly();
      }
      sim.close();
    }
    Path data = dir.resolve("data");

    // The journal holds one session (the restart continued it) and it is closed; the restarted
    // daemon's results equal the replay of the whole journal, bit for bit.
    Verified verified = assertOnlineResultsEqualReplayOfTheWholeJournal(data);
    ReplayResult replay = verified.replay();
    JsonNode acc = verified.accounting();
    // The restart restored a checkpoint and replayed only the journal after it.
    JsonNode recovery = new ObjectMapper().readTree(data.resolve("run-summary.json").toFile()).get("recovery");
    System.out.printf("crash recovery: the last start's recovery %s%n", recovery);
    assertThat(recovery.get("fromCheckpoint").asBoolean()).as("recovery: %s", recovery).isTrue();
    assertThat(recovery.get("rejectedCheckpoints")).isEmpty();
    assertThat(recovery.get("framesReplayed").asLong()).isLessThan(recovery.get("sessionFrames").asLong());

    // Ground truth: every frame the board numbered through the last one journaled (at or after the run's
    // GOODBYE) is either journaled or reported lost by the gap the restarted daemon saw (its sequence
    // tracking resumed after the last journaled frame). Not the frames of a reconnect to the finished
    // board that the stopping daemon never read: FramesAccounted says why.
    long lostFrames = acc.get("lostFrames").asLong();
    FramesAccounted.assertEveryFrameThroughTheLastJournaledIsJournaledOrLost("crash recovery", data.resolve("journal"),
        sim.links().get(0), replay.frames(), lostFrames);
    // Events: those journaled were all received; the rest travelled in the lost frames, at most
    // simulator.aggregateMaxEvents per frame.
    JsonNode truth = new ObjectMapper().valueToTree(sim.truthSummary());
    long sent = 0;
    for (JsonNode ch : truth.get("boards").get(0).get("channels")) {
      sent += ch.get("sentEvents").asLong();
    }
    assertThat(replay.events()).isEqualTo(replay.snapshot().totals().received());
    assertThat(sent - replay.events()).isGreaterThanOrEqualTo(0)
        .isLessThanOrEqualTo(lostFrames * config.simulator().aggregateMaxEvents());
    if (lostFrames == 0) {
      assertThat(replay.events()).isEqualTo(sent);
    }
  }

  static Path daemonConfig(Path dir, int simPort) throws IOException {
    String gemma = Files.readString(Path.of("../config/gemma-1.yaml"));
    assertThat(gemma).contains("checkpointIntervalSeconds: 300 ");
    String text = gemma
        .replace("checkpointIntervalSeconds: 300 ", "checkpointIntervalSeconds: " + CHECKPOINT_INTERVAL + " ")
        .replace("port: 9401", "port: " + simPort)
        .replace("port: 9470", "port: 0")
        .replace("tokenFile: control.token", "tokenFile: " + dir.resolve("control.token"));
    Path yaml = dir.resolve("daemon.yaml");
    Files.writeString(yaml, text);
    return yaml;
  }

  /** Whether a daemon with its data in {@code data} has written a checkpoint (the default checkpoint directory). */
  static boolean checkpointWritten(Path data) {
    return !new org.nudaq.server.checkpoint.CheckpointStore(data.resolve("checkpoints")).list().isEmpty();
  }

  /** What the online daemon wrote, checked against a replay of its whole journal. */
  record Verified(ReplayResult replay, JsonNode accounting) {}

  /**
   * The journal under {@code data} holds one closed session (continued by every restart), and the
   * daemon's run summary and final spectra equal an uninterrupted replay of it, bit for bit.
   */
  static Verified assertOnlineResultsEqualReplayOfTheWholeJournal(Path data) throws Exception {
    Path journal = data.resolve("journal");
    List<JournalSession> sessions = JournalSession.all(journal);
    assertThat(sessions).hasSize(1);
    assertThat(sessions.get(0).closed()).isTrue();
    ReplayResult replay = new JournalReplay().replay(journal, sessions.get(0), JournalReplay.sessionConfig(sessions.get(0)),
        Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max());

    // The daemon's results equal the replay of the whole journal, bit for bit.
    JsonNode summary = new ObjectMapper().readTree(data.resolve("run-summary.json").toFile());
    PipelineSnapshot r = replay.snapshot();
    JsonNode det = summary.get("detectors").get(0);
    PipelineSnapshot.DetectorSnapshot rd = r.detectors().get(0);
    assertThat(det.get("liveTimeOnSeconds").asDouble()).isEqualTo(rd.liveTimeOnSeconds());
    assertThat(det.get("liveTimeOffSeconds").asDouble()).isEqualTo(rd.liveTimeOffSeconds());
    assertThat(det.get("liveTimeBeforeGatesOnSeconds").asDouble()).isEqualTo(rd.liveTimeBeforeGatesOnSeconds());
    assertThat(det.get("liveTimeBeforeGatesOffSeconds").asDouble()).isEqualTo(rd.liveTimeBeforeGatesOffSeconds());
    assertThat(rd.liveTimeOnSeconds()).isGreaterThan(0);
    for (SpectrumSnapshot s : rd.spectra()) {
      SpectrumSnapshot online = new SpectrumJson().read(data.resolve("spectra").resolve(s.labels().name() + ".json"));
      assertThat(online.counts()).as(s.labels().name()).containsExactly(s.counts());
      assertThat(online.liveTimeSeconds()).isEqualTo(s.liveTimeSeconds());
    }
    JsonNode acc = summary.get("accounting");
    assertThat(acc.get("received").asLong()).isEqualTo(r.totals().received());
    assertThat(acc.get("vetoed").asLong()).isEqualTo(r.totals().vetoed());
    assertThat(acc.get("balances").asBoolean()).isTrue();
    return new Verified(replay, acc);
  }
}
