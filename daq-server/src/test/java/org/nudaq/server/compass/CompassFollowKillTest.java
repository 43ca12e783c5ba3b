package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.ChildJvm;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.SpectrumJson;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.sim.caen.CaenSimulation;
import org.nudaq.sim.caen.CompassRunWriter;
import org.nudaq.sim.server.Pacing;

/**
 * Issue 14's live-follow acceptance: the simulator writes a CoMPASS folder at accelerated time (three
 * runs, every channel file split several times, files flushed every generation step so the daemon sees
 * partly written records), the real daemon (its own JVM, real journal in a temp dir) follows it with
 * {@code compass.follow} and is killed with SIGKILL at three random (seeded) moments, each followed by
 * a restart. Its final spectra, live times and accounting equal a {@code replay --compass} of the
 * finished folder bit for bit, and its journal holds every frame once: per board the sequence numbers
 * rise without a repeat, and its events are exactly the import's.
 */
class CompassFollowKillTest {
  private static final long SEED = 20261207L;
  private static final double DAYS = 0.012; // 1037 detector seconds
  private static final double RUN_SECONDS = 400; // three runs
  private static final long SPLIT_BYTES = 60_000; // 3000 records per part
  private static final String ACCEL = "60"; // ~17 s of wall time

  @Test
  void followsTheFolderAsItIsWrittenThroughThreeKillsAndEqualsTheImportOfTheFinishedFolder(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("compass");
    Path data = dir.resolve("data");
    Path yaml = daemonConfig(dir, folder);
    NudaqConfig config = new ConfigLoader().load(yaml);
    CompassRunWriter writer = new CompassRunWriter(config, folder, RUN_SECONDS, SPLIT_BYTES);
    CaenSimulation sim = new CaenSimulation(config, writer);
    Thread simThread = new Thread(() -> sim.run(Pacing.parse(ACCEL), DAYS), "caen-sim");
    SplittableRandom random = new SplittableRandom(SEED);
    Process daemon = null;
    try {
      daemon = ChildJvm.daemon(yaml, data, dir.resolve("daemon-1.log"));
      awaitLog(dir.resolve("daemon-1.log"), "daemon started", daemon);
      simThread.start();
      for (int k = 0; k < 3; k++) {
        // A random moment while the daemon follows: 0.3 to 2.3 s after it started reading.
        awaitFollowing(data, daemon, k + 1);
        Thread.sleep(300 + random.nextInt(2000));
        assertThat(daemon.isAlive()).as("daemon %d alive (see its log)", k + 1).isTrue();
        daemon.destroyForcibly(); // SIGKILL
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        System.out.printf("compass follow: kill %d at %d records written, run %d%n", k + 1, writer.records(), writer.run());
        daemon = ChildJvm.daemon(yaml, data, dir.resolve("daemon-" + (k + 2) + ".log"));
      }
      simThread.join(TimeUnit.SECONDS.toMillis(120));
      assertThat(simThread.isAlive()).isFalse();
      int runs = writer.run();
      assertThat(runs).isEqualTo(3);
      // The last daemon reads to the end of the last run, then stops cleanly.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!finishedAfterLastResume(Files.readString(data.resolve(CompassFollow.POSITION_LOG)), "F run=run_" + runs + "%2FRAW")) {
        assertThat(daemon.isAlive()).as("last daemon alive").isTrue();
        assertThat(System.nanoTime()).as("the follow reaches the end of run %d", runs).isLessThan(deadline);
        Thread.sleep(20);
      }
      daemon.destroy(); // SIGTERM: drain, finish, write the results
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      sim.stop();
      if (daemon != null && daemon.isAlive()) {
        daemon.destroyForcibly();
      }
    }
    String log = Files.readString(data.resolve(CompassFollow.POSITION_LOG));
    log.lines().filter(l -> !l.startsWith("S ")).forEach(l -> System.out.println("position log: " + l.substring(0, Math.min(160, l.length()))));
    for (int k = 1; k <= 4; k++) {
      Files.readAllLines(dir.resolve("daemon-" + k + ".log")).stream().filter(l -> l.contains("CoMPASS") || l.contains("recover"))
          .forEach(l -> System.out.println("daemon log: " + l));
    }
    assertThat(log.lines().filter(l -> l.startsWith("R ")).count()).as("three resumes from the position log").isEqualTo(3);
    for (int k = 2; k <= 4; k++) {
      assertThat(Files.readString(dir.resolve("daemon-" + k + ".log"))).contains("recovered the unclosed journal session")
          .contains("CoMPASS follow: resuming");
    }
    // The folder really has splits (parts without the header) in every run.
    try (Stream<Path> files = Files.walk(folder)) {
      List<Path> parts = files.filter(p -> p.getFileName().toString().matches(".*_run_[0-9]+_[0-9]+\\.BIN")).toList();
      for (int r = 1; r <= 3; r++) {
        int run = r;
        assertThat(parts.stream().filter(p -> p.toString().contains("/run_" + run + "/"))).as("splits in run %d", r).hasSizeGreaterThan(2);
      }
    }

    // The import of the finished folder, with the same configuration and the same reactor state.
    CompassImport.Result imported = new CompassImport(config).run(folder, new CompassImport.Options(ReactorState.ON, List.of(), null));
    assertThat(imported.formatErrors()).isZero();
    PipelineSnapshot r = imported.replay().snapshot();
    JsonNode summary = new ObjectMapper().readTree(data.resolve("run-summary.json").toFile());
    assertThat(summary.get("compassFollow").get("formatErrors").asLong()).isZero();
    for (int d = 0; d < r.detectors().size(); d++) {
      JsonNode det = summary.get("detectors").get(d);
      PipelineSnapshot.DetectorSnapshot rd = r.detectors().get(d);
      assertThat(det.get("liveTimeOnSeconds").asDouble()).isEqualTo(rd.liveTimeOnSeconds());
      assertThat(det.get("liveTimeOffSeconds").asDouble()).isEqualTo(rd.liveTimeOffSeconds());
      assertThat(det.get("liveTimeBeforeGatesOnSeconds").asDouble()).isEqualTo(rd.liveTimeBeforeGatesOnSeconds());
      for (SpectrumSnapshot s : rd.spectra()) {
        SpectrumSnapshot online = new SpectrumJson().read(data.resolve("spectra").resolve(s.labels().name() + ".json"));
        assertThat(online.counts()).as(s.labels().name()).containsExactly(s.counts());
        assertThat(online.liveTimeSeconds()).as(s.labels().name()).isEqualTo(s.liveTimeSeconds());
      }
    }
    assertThat(r.detectors().get(0).liveTimeOnSeconds()).isGreaterThan(DAYS * 86_400 * 0.9);
    JsonNode acc = summary.get("accounting");
    assertThat(acc.get("received").asLong()).isEqualTo(r.totals().received()).isPositive();
    assertThat(acc.get("vetoed").asLong()).isEqualTo(r.totals().vetoed());
    assertThat(acc.get("accepted").asLong()).isEqualTo(r.totals().accepted()).isPositive();
    assertThat(acc.get("balances").asBoolean()).isTrue();

    // Nothing journaled twice, nothing skipped: per board the sequence numbers rise without a repeat
    // or a gap, and the events journaled are the import's.
    JournaledFrames journaled = JournaledFrames.read(data.resolve("journal"));
    assertThat(journaled.problems()).isEmpty();
    assertThat(journaled.events()).isEqualTo(imported.replay().events()).isEqualTo(r.totals().received());
    System.out.printf("compass follow: %d events in %d frames, identical to the import; %s%n", journaled.events(),
        journaled.lastSequence() + 1,
        summary.get("compassFollow"));
  }

  /** gemma-1 with the board read from the followed folder, reactor ON through the control path, a checkpoint every 2 s. */
  private static Path daemonConfig(Path dir, Path folder) throws IOException {
    String gemma = Files.readString(Path.of("../config/gemma-1.yaml"));
    String text = gemma
        .replace("reactorStateSource: digitizer", "reactorStateSource: control")
        .replace("checkpointIntervalSeconds: 300 ", "checkpointIntervalSeconds: 2 ")
        .replace("port: 9470", "port: 0")
        .replace("tokenFile: control.token", "tokenFile: " + dir.resolve("control.token"))
        .replace("  deadTimePerEventNs: 0 ", "  follow: {directory: '" + folder + "', pollMillis: 20, settleSeconds: 0.3, reactor: on}\n"
            + "  deadTimePerEventNs: 0 ");
    assertThat(text).contains("follow: {directory").contains("reactorStateSource: control").contains("checkpointIntervalSeconds: 2 ");
    Path yaml = dir.resolve("daemon.yaml");
    Files.writeString(yaml, text);
    return yaml;
  }

  /** Whether the position log says the run was read to its end after the last resume. */
  private static boolean finishedAfterLastResume(String log, String finished) {
    int resumed = log.lastIndexOf("\nR ");
    return log.lines().filter(l -> l.startsWith("R ")).count() == 3 && log.indexOf(finished, resumed) > 0;
  }

  private static void awaitLog(Path log, String text, Process daemon) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      assertThat(daemon.isAlive()).as("daemon alive (%s)", log).isTrue();
      assertThat(System.nanoTime()).as("%s says %s", log, text).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** Waits until the daemon has logged a position of this start (it is reading the folder). */
  private static void awaitFollowing(Path data, Process daemon, int start) throws Exception {
    Path log = data.resolve(CompassFollow.POSITION_LOG);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long before = start == 1 ? 0 : countLines(log);
    while (countLines(log) <= before + 1) {
      assertThat(daemon.isAlive()).as("daemon %d alive", start).isTrue();
      assertThat(System.nanoTime()).as("daemon %d follows", start).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static long countLines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    try (Stream<String> s = Files.lines(file)) {
      return s.count();
    }
  }
}
