package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.cli.ServerMain;
import org.nudaq.server.pipeline.GateReason;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.Stage;
import org.nudaq.server.reactor.ReactorTimelineFile;
import picocli.CommandLine;

/**
 * CoMPASS imports with the reactor state from a timeline or one state for the folder, and their
 * estimated live time. The list file is written from the documented layout (2022 header, waveforms):
 * the CoMPASS-written test file of legend-exp/legend-testdata has no licence, so it cannot be a test
 * resource (its import is a documented run in docs/journal-and-replay.md).
 *
 * <p>Ten HPGe records of 10 keV at 1, 2, ..., 10 ms after the run start (2026-03-01T12:00:00Z), no
 * NaI. The timeline: ON at nominal power from before the run, ON at 50 % from 4.5 ms, OFF from 6 ms
 * exactly (record 6 is at the transition: it is OFF).
 */
class CompassReactorTimelineTest {
  private static final long MS_PS = 1_000_000_000L;
  private static final Instant RUN_START = Instant.parse("2026-03-01T12:00:00Z");
  private final NudaqConfig config = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));

  private static Path folder(Path dir) throws Exception {
    List<CompassImportTest.Rec> recs = new ArrayList<>();
    for (int k = 1; k <= 10; k++) {
      recs.add(new CompassImportTest.Rec(0, 0, k * MS_PS, 2000, 0x4000));
    }
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.write(run.resolve("DataR_CH0@DT5730_1463_run.BIN"), CompassImportTest.binary2022(0xD, recs, 16));
    return run;
  }

  private static Path timeline(Path dir, String body) throws Exception {
    Path f = dir.resolve("plant.csv");
    Files.writeString(f, "time,state,power\n" + body);
    return f;
  }

  @Test
  void theOnOffSplitFollowsTheTimelineToTheRecordAndPowerWeightsTheOnLiveTime(@TempDir Path dir) throws Exception {
    Path run = folder(dir);
    Path plant = timeline(dir, """
        2026-03-01T11:00:00Z,ON,100%
        2026-03-01T12:00:00.0045Z,ON,50%
        2026-03-01T12:00:00.006Z,OFF,
        """);
    CompassImport.Result r = new CompassImport(config).run(run,
        new CompassImport.Options(null, ReactorTimelineFile.readAll(plant, 3000), RUN_START));
    PipelineSnapshot s = r.replay().snapshot();
    PipelineSnapshot.DetectorSnapshot d = s.detectors().get(0);
    // Records 1..5 before the OFF transition at 6 ms, records 6..10 at or after it.
    assertThat(d.spectrum(Stage.ALL, ReactorState.ON).entryCount()).isEqualTo(5);
    assertThat(d.spectrum(Stage.ALL, ReactorState.OFF).entryCount()).isEqualTo(5);
    assertThat(d.spectrum(Stage.AFTER_GATES, ReactorState.ON).entryCount()).isEqualTo(5);
    assertThat(d.spectrum(Stage.AFTER_GATES, ReactorState.OFF).entryCount()).isEqualTo(5);
    PipelineSnapshot.ChannelSnapshot hpge = s.channels().get(0);
    long gated = hpge.gated().values().stream().mapToLong(Long::longValue).sum();
    assertThat(hpge.accepted() + hpge.vetoed() + gated).isEqualTo(hpge.received()).isEqualTo(10);
    assertThat(r.replay().accountingBalances()).isTrue();
    // Live time (no dead-time model): real time from the run start to just after the last record,
    // 10 ms + 1 ns, which is 10 ms in the board's 4 ns ticks; split at 6 ms. By hand: ON 6 ms, OFF 4 ms.
    assertThat(d.liveTimeBeforeGatesOnSeconds()).isCloseTo(6e-3, within(1e-12));
    assertThat(d.liveTimeBeforeGatesOffSeconds()).isCloseTo(4e-3, within(1e-12));
    // Power-weighted ON live time by hand: 4.5 ms × 1.0 + (6 − 4.5) ms × 0.5 = 5.25 ms; mean 0.875.
    assertThat(d.powerWeightedLiveTimeBeforeGatesOnSeconds()).isCloseTo(5.25e-3, within(1e-12));
    assertThat(d.meanPowerFractionOn()).isCloseTo(0.875, within(1e-12));
    assertThat(r.liveTime().estimated()).isTrue();
    assertThat(r.liveTime().realTimeSource()).isEqualTo("time stamps from the run start to the last record");
    assertThat(r.reactorSource()).contains("3 transitions").contains("--run-start 2026-03-01T12:00:00Z");
  }

  @Test
  void theRunStartComesFromRunInfoAndTheRealTimeFromItsStop(@TempDir Path dir) throws Exception {
    Path run = folder(dir);
    // CoMPASS writes the list files into <run>/RAW and run.info into <run>.
    Path raw = Files.createDirectories(run.resolve("RAW"));
    Files.move(run.resolve("DataR_CH0@DT5730_1463_run.BIN"), raw.resolve("DataR_CH0@DT5730_1463_run.BIN"));
    Files.writeString(run.resolve("run.info"), "id=run\ntime.start=2026/03/01 13:00:00.000+0100\ntime.stop=2026/03/01 13:00:00.020+0100\n");
    Path plant = timeline(dir, "2026-03-01T12:00:00.003Z,ON,\n2026-03-01T12:00:00.008Z,OFF,\n");
    CompassImport.Result r = new CompassImport(config).run(raw,
        new CompassImport.Options(null, ReactorTimelineFile.readAll(plant, 3000), null));
    PipelineSnapshot.DetectorSnapshot d = r.replay().snapshot().detectors().get(0);
    // Records 1, 2 before the first transition: UNKNOWN (gated); 3..7 ON; 8..10 OFF.
    assertThat(d.spectrum(Stage.AFTER_GATES, ReactorState.ON).entryCount()).isEqualTo(5);
    assertThat(d.spectrum(Stage.AFTER_GATES, ReactorState.OFF).entryCount()).isEqualTo(3);
    assertThat(r.replay().snapshot().channels().get(0).gated().get(GateReason.REACTOR_UNKNOWN)).isEqualTo(2);
    // Real time 20 ms from run.info: unknown 3 ms, ON 5 ms, OFF 12 ms.
    assertThat(d.liveTimeUnknownSeconds()).isCloseTo(3e-3, within(1e-12));
    assertThat(d.liveTimeBeforeGatesOnSeconds()).isCloseTo(5e-3, within(1e-12));
    assertThat(d.liveTimeBeforeGatesOffSeconds()).isCloseTo(12e-3, within(1e-12));
    assertThat(r.liveTime().realTimeSource()).startsWith("run.info time.stop - time.start");
  }

  @Test
  void oneStateForTheFolderWithADeadTimeModel(@TempDir Path dir) throws Exception {
    Path run = folder(dir);
    NudaqConfig withDead = config.withCompass(new org.nudaq.monitor.config.CompassConfig(config.compass().channels(), 100_000));
    CompassImport.Result r = new CompassImport(withDead).run(run, new CompassImport.Options(ReactorState.ON, List.of(), null));
    PipelineSnapshot.DetectorSnapshot d = r.replay().snapshot().detectors().get(0);
    assertThat(d.spectrum(Stage.AFTER_GATES, ReactorState.ON).entryCount()).isEqualTo(10);
    // 10 saved events × 100 µs dead time: live = 10 ms (in ticks) − 1 ms.
    assertThat(d.liveTimeBeforeGatesOnSeconds()).isCloseTo(9e-3, within(1e-12));
    assertThat(r.liveTime().deadTimeMethod()).startsWith("dead-time model: 100000.0 ns per saved event");
  }

  @Test
  void theCliRejectsABadTimelineWithOneLineAndExitCode2(@TempDir Path dir) throws Exception {
    Path run = folder(dir);
    Path plant = timeline(dir, "2026-03-01T11:00:00Z,ON,\n2026-03-01T11:30:00Z,SCRAM,\n");
    StringWriter err = new StringWriter();
    CommandLine cli = ServerMain.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("replay", "--compass", run.toString(), "--config", "../config/gemma-1.yaml",
        "--reactor-timeline", plant.toString(), "--run-start", "2026-03-01T12:00:00Z", "--out", dir.resolve("out").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("nudaq replay: reactor timeline " + plant + " line 3: unknown state 'SCRAM' (ON, OFF or UNKNOWN)");
  }

  @Test
  void theCliWithReactorOnWritesOnSpectraAndNamesTheLiveTimeMethod(@TempDir Path dir) throws Exception {
    Path run = folder(dir);
    Path out = dir.resolve("out");
    CommandLine cli = ServerMain.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    int code = cli.execute("replay", "--compass", run.toString(), "--config", "../config/gemma-1.yaml", "--reactor", "on",
        "--out", out.toString());
    assertThat(code).isZero();
    String summary = Files.readString(out.resolve("replay-summary.json"));
    assertThat(summary).contains("\"estimated\" : true").contains("\"deadTimeMethod\" : \"none: no dead time known");
    assertThat(Files.readString(out.resolve("spectra/hpge-1-on-after-gates.json"))).contains("\"liveTimeSeconds\" : 0.01,");
  }
}
