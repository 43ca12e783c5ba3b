package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.analysis.ResultDocument;
import org.nudaq.monitor.cli.MonitorMain;
import org.nudaq.monitor.config.CalibrationConfig;
import org.nudaq.monitor.config.DriftConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.monitor.config.SystematicsConfig.Source;
import org.nudaq.monitor.spectrum.SpectraDirectory;
import org.nudaq.server.calibration.CalibratedLimits;
import org.nudaq.server.cli.ServerMain;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.daemon.SimulatedRuns;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.Stage;

/**
 * Issue 17 follow-up: a physicist who recomputes the limits from the exported spectra of a drifting detector with
 * {@code nudaq limits --calibration REPORT.json} gets the daemon's online limits of the same data. The real
 * simulator (GEMMA-I's X-ray lines ×300, gain +0.5 %/year, ±0.05 % daily and a +1 % step at day 3, the resolution
 * widening by 25 % over the 6 days) into the real
 * daemon calibrating online; then {@code nudaq replay} of its journal writes the spectra and
 * {@code calibration-report.json}, and {@code nudaq limits} on those files gives the same μν and qν results, the
 * same masked bins, line-mask widths and energy-scale constraints, number for number, as the daemon's limits
 * thread computes for its final snapshot (CalibratedLimits on the daemon's applied calibrations) and as the
 * replay's summary; without {@code --calibration} (the configured resolution and constraints) they differ.
 */
class LimitsFromCalibrationReportTest {
  private static final String CHANNEL = "board0/ch0";

  private static NudaqConfig driftingRun() {
    NudaqConfig base = SimulatedRuns.gemma1Closure(4, 2, 0, 41);
    SimulatorConfig b = base.simulator();
    List<SimulatorConfig.XrayLine> lines = SimulatorConfig.DEFAULT_XRAY_LINES.stream().map(l -> new SimulatorConfig.XrayLine(
        l.name(), l.energyKeV(), l.halfLifeDays(), l.initialPerKgDay() * 300)).toList();
    // σ(E) × (1 + 15·t/year): +25 % by day 6, so the calibrated masks are wider than the configured ones.
    DriftConfig drift = new DriftConfig(0.005, 0.0005, 0, 0, 15, List.of(new DriftConfig.Step(3, 0.01, 0)), 0, 0);
    return base.withSimulator(new SimulatorConfig(b.seed(), b.schedule(), 0, 0, b.comptonPerKeVKgDay(), lines,
        0, b.noisePerKgDay(), b.noiseSlopeKeV(), 0, b.burstDurationSeconds(), b.burstRateHz(), 0.05, 0.01,
        b.hpgeDeadTimeNs(), b.aggregateMaxEvents(), b.aggregateMaxAgeMs(), 60, b.bufferEvents(), drift))
        .withCalibration(new CalibrationConfig(true, CalibrationConfig.DEFAULT_LINES_KEV, 0, CalibrationConfig.Terms.GAIN,
            24, 10, 50, 1, 3, 2, 5, 0.1, 0.05, 0.25));
  }

  /** {@code nudaq limits ...} in this JVM: exit status, stdout, stderr. */
  private static String[] limits(String... args) {
    picocli.CommandLine cl = MonitorMain.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  /** A result document as the command prints it and reads back (the same number types on both sides). */
  private static JsonNode json(Object document) throws Exception {
    ObjectMapper m = new ObjectMapper();
    return m.readTree(m.writeValueAsString(document));
  }

  private static double nuisanceSigma(JsonNode limitsJson, Source source) {
    for (JsonNode n : limitsJson.get("systematics").get("nuisances")) {
      if (n.get("name").asText().equals(source.key())) {
        return n.get("sigma").asDouble();
      }
    }
    throw new AssertionError("no nuisance " + source.key());
  }

  @Test
  void limitsOfTheExportedSpectraWithTheReportEqualTheDaemonsOnlineLimits(@TempDir Path dir) throws Exception {
    NudaqConfig config = driftingRun();
    Daemon daemon = SimulatedRuns.runToEnd(config, 6, dir.resolve("daemon"));
    PipelineSnapshot snapshot = daemon.snapshot();
    int applied = daemon.calibrationHistory().applied(CHANNEL).size();
    assertThat(applied).as("epochs applied online: %s", daemon.calibrationHistory().report()).isGreaterThanOrEqualTo(3);

    // Online: what the daemon's limits thread computes for this snapshot (Daemon → LimitsUpdater → CalibratedLimits).
    ExperimentLimits configured = ExperimentLimits.forConfig(daemon.config());
    CalibratedLimits online = new CalibratedLimits(daemon.config(), configured, daemon.calibrationHistory());
    ExperimentResult onlineResult = online.update(snapshot);
    assertThat(onlineResult).as("ON and OFF live time").isNotNull();
    int onlineMasked = online.limitsAt(snapshot.dataTimeNs()).templates().maskedBinCount();

    // nudaq replay of the daemon's journal: the spectra and calibration-report.json a physicist takes home.
    Path out = dir.resolve("replay-out");
    int code = ServerMain.commandLine().execute("replay", "--journal", Daemon.journalDir(daemon.config(), dir.resolve("daemon"))
        .toString(), "--threads", "1", "--out", out.toString());
    assertThat(code).isZero();
    Path spectra = out.resolve(SpectraDirectory.RUN_SPECTRA);
    PipelineSnapshot.DetectorSnapshot d = snapshot.detectors().get(0);
    String on = SpectraDirectory.file(spectra, d.spectrum(Stage.AFTER_GATES, ReactorState.ON).labels()).toString();
    String off = SpectraDirectory.file(spectra, d.spectrum(Stage.AFTER_GATES, ReactorState.OFF).labels()).toString();
    Path report = out.resolve("calibration-report.json");

    String[] r = limits("limits", "--config", "../config/gemma-1.yaml", "--on", on, "--off", off,
        "--calibration", report.toString(), "--json");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode cli = new ObjectMapper().readTree(r[1]);
    assertThat(cli.get("muHat2").asDouble()).isEqualTo(onlineResult.muHat2());
    assertThat(cli.get("muSigma2").asDouble()).isEqualTo(onlineResult.muSigma2());
    assertThat(cli.get("muLimit90").asDouble()).isEqualTo(onlineResult.muLimit());
    assertThat(cli.get("qHat2").asDouble()).isEqualTo(onlineResult.qHat2());
    assertThat(cli.get("qSigma2").asDouble()).isEqualTo(onlineResult.qSigma2());
    assertThat(cli.get("qLimit90").asDouble()).isEqualTo(onlineResult.qLimit());
    assertThat(cli.get("maskedBins").asInt()).isEqualTo(onlineMasked);
    // The whole results, as the JSON of each: μν and qν (estimate, σ, interval, significance), the systematic fit
    // (nuisances with the energy-scale constraints the calibration measured, impacts, joint fit and its region)
    // and the line masks line by line (σ, half-width, the epoch that set each).
    assertThat(cli.get("mu")).isEqualTo(json(ResultDocument.parameter(onlineResult, true)));
    assertThat(cli.get("q")).isEqualTo(json(ResultDocument.parameter(onlineResult, false)));
    assertThat(cli.get("systematics")).isEqualTo(json(ResultDocument.systematics(onlineResult)));
    JsonNode onlineScale = json(ResultDocument.energyScaleConstraints(onlineResult));
    assertThat(onlineScale.get("energyGain").get("sigmaFrom").asText()).isEqualTo("calibration");
    assertThat(nuisanceSigma(cli, Source.ENERGY_GAIN)).isEqualTo(onlineScale.get("energyGain").get("sigma").asDouble());
    JsonNode onlineMasks = json(ResultDocument.lineMasks(onlineResult));
    assertThat(onlineMasks.get("source").asText()).isEqualTo("calibration");
    assertThat(cli.get("lineMasks").get("source")).isEqualTo(onlineMasks.get("source"));
    assertThat(cli.get("lineMasks").get("detectors")).isEqualTo(onlineMasks.get("detectors"));
    assertThat(onlineMasks.get("detectors").get(0).get("epochs").asInt()).isEqualTo(applied);
    assertThat(cli.get("lineMasks").get("reportEpochs").asInt()).isEqualTo(applied);
    assertThat(cli.get("lineMasks").get("from").asText())
        .isEqualTo("calibration report " + report + ": " + applied + " epochs of " + CHANNEL);

    // And the replay's own summary says the same.
    JsonNode replay = new ObjectMapper().readTree(out.resolve("replay-summary.json").toFile()).get("limits");
    assertThat(replay.get("muLimit").asDouble()).isEqualTo(cli.get("muLimit90").asDouble());
    assertThat(replay.get("qLimit").asDouble()).isEqualTo(cli.get("qLimit90").asDouble());
    assertThat(replay.get("lineMasks").get("detectors")).isEqualTo(cli.get("lineMasks").get("detectors"));
    assertThat(replay.get("energyScale").get("energyGain").get("sigma").asDouble())
        .isEqualTo(nuisanceSigma(cli, Source.ENERGY_GAIN));

    // Without the report (what nudaq limits did before): the configured resolution and constraints, other masks, another
    // gain σ and other limits than online's: the disagreement --calibration removes.
    ExperimentResult withConfigured = snapshot.updateLimits(configured);
    JsonNode configuredMasks = json(ResultDocument.lineMasks(withConfigured));
    assertThat(configuredMasks.get("source").asText()).isEqualTo("configured");
    assertThat(configuredMasks.get("detectors")).isNotEqualTo(onlineMasks.get("detectors"));
    assertThat(configured.templates().maskedBinCount()).isNotEqualTo(onlineMasked);
    double configuredGain = json(ResultDocument.energyScaleConstraints(withConfigured)).get("energyGain").get("sigma").asDouble();
    assertThat(configuredGain).isNotEqualTo(nuisanceSigma(cli, Source.ENERGY_GAIN));
    assertThat(withConfigured.muLimit()).isNotEqualTo(onlineResult.muLimit());
    System.out.printf("limits --calibration: %d epochs; masked bins %d (configured %d); Ga-K half-width %.4f keV"
        + " (configured %.4f); gain σ %.6f (configured %.6f); μν < %.5e μB (configured: %.5e)%n", applied,
        cli.get("maskedBins").asInt(), configured.templates().maskedBinCount(),
        cli.get("lineMasks").get("detectors").get(0).get("lines").get(0).get("halfWidthKeV").asDouble(),
        configuredMasks.get("detectors").get(0).get("lines").get(0).get("halfWidthKeV").asDouble(),
        nuisanceSigma(cli, Source.ENERGY_GAIN), configuredGain, onlineResult.muLimit(), withConfigured.muLimit());
  }
}
