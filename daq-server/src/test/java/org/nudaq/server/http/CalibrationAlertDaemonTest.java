package org.nudaq.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.CalibrationStatus;
import org.nudaq.monitor.calibration.LineFit;
import org.nudaq.monitor.config.CalibrationConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.DriftConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.server.stress.SimulatorToDaemon;
import org.nudaq.sim.server.Pacing;

/**
 * Issue 17's alert rules (config/prometheus/alerts.yml) end to end, as an outside reviewer would check them:
 * promtool's unit tests of the two calibration alerts with their real {@code for:} (config/prometheus/
 * alerts_test.yml); then three real daemons, each calibrating online the real simulator's GEMMA-I HPGe (X-ray
 * lines ×100 so one day's fit pins the gain to ~0.06 %; 24 h intervals, a window of one interval), scraped by
 * one real Prometheus (Debian package) evaluating the shipped rules (only NudaqCalibrationFailing's
 * {@code for: 5m} shortened to 0 s):
 * <ul>
 *   <li>healthy: the slow drift (+0.5 %/year, ±0.05 % daily): every day calibrated, no calibration
 *       alert;</li>
 *   <li>drift: a +1 % gain step at day 4 (a power cut), the last day's calibration moves Ga K by ≈ +0.10 keV,
 *       beyond calibration.alarmShiftKeV 0.05: NudaqCalibrationDrift fires for this daemon only;</li>
 *   <li>failing: maxGainErrPercent 1e-4 %, which no day's fit reaches (too few counts): every attempt fails,
 *       NudaqCalibrationFailing fires for this daemon only.</li>
 * </ul>
 * And the line metrics (position, FWHM) as Prometheus stores them, against the daemon's fit and the simulated
 * resolution. The simulator runs 5.2 detector days at full speed and stops, so each daemon's last calibration (day 5) is
 * what Prometheus scrapes from then on: no race between the data and the scrapes.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CalibrationAlertDaemonTest {
  private static final String CHANNEL = "board0/ch0";
  private static final double DAYS = 5.2;
  private static final long DAY_NS = 86_400_000_000_000L;

  @Test
  void promtoolUnitTestsOfTheCalibrationAlertsPass() throws Exception {
    Path promtool = Tools.require("/usr/bin/promtool");
    Tools.Result r = Tools.run(Duration.ofSeconds(30), Path.of("../config/prometheus/alerts_test.yml"), promtool.toString(),
        "test", "rules");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void prometheusFiresTheDriftAndFailureAlertsFromTheDaemonsAndNothingWhenHealthy(@TempDir Path dir) throws Exception {
    NudaqConfig base = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    DriftConfig slow = new DriftConfig(0.005, 0.0005, 0, 0, 0, List.of(), 0, 0);
    DriftConfig stepped = new DriftConfig(0, 0, 0, 0, 0, List.of(new DriftConfig.Step(4, 0.01, 0)), 0, 0);
    CalibrationConfig good = new CalibrationConfig(true, CalibrationConfig.DEFAULT_LINES_KEV, 0,
        CalibrationConfig.Terms.GAIN, 24, 1, 50, 1, 3, 3, 5, 0.1, 0.05, 0.25);
    CalibrationConfig strict = new CalibrationConfig(true, CalibrationConfig.DEFAULT_LINES_KEV, 0,
        CalibrationConfig.Terms.GAIN, 24, 1, 50, 1, 3, 3, 5, 0.1, 0.05, 1e-4);
    try (SimulatorToDaemon healthy = start(config(base, 41, slow, good), dir.resolve("healthy"));
        SimulatorToDaemon drift = start(config(base, 42, stepped, good), dir.resolve("drift"));
        SimulatorToDaemon failing = start(config(base, 43, DriftConfig.NONE, strict), dir.resolve("failing"));
        Served h = new Served(healthy); Served d = new Served(drift); Served f = new Served(failing)) {
      // Each daemon's last interval (day 4-5) fitted; applied (drift, healthy) or failed (failing).
      MonitoredDaemon.await("the last interval calibrated, healthy", Duration.ofSeconds(90), () -> lastApplied(healthy) >= 5 * DAY_NS);
      MonitoredDaemon.await("the last interval calibrated, drift", Duration.ofSeconds(90), () -> lastApplied(drift) >= 5 * DAY_NS);
      MonitoredDaemon.await("the last interval attempted, failing", Duration.ofSeconds(90), () -> lastAttempt(failing) >= 5 * DAY_NS);

      // What the daemons did, from their own history: the premises of the alerts below.
      // The move of Ga K 10.37 keV from the previous day's scale to the last: the healthy gain moved within its
      // fit errors (±0.15 % a day: ±0.02 keV), the stepped one by +1 % (+0.104 keV).
      assertThat(healthy.daemon().calibrationHistory().failures(CHANNEL)).as("healthy failures").isZero();
      assertThat(Math.abs(lastMoveKeV(healthy))).as("healthy: last move").isLessThan(0.05);
      assertThat(lastMoveKeV(drift)).as("drift: last move").isBetween(0.07, 0.14);
      Calibration fl = failing.daemon().calibrationHistory().latestAttempt(CHANNEL);
      assertThat(fl.status()).isEqualTo(CalibrationStatus.TOO_FEW_COUNTS);
      assertThat(failing.daemon().calibrationHistory().applied(CHANNEL)).as("failing: nothing applied").isEmpty();

      String rules = Files.readString(Path.of("../config/prometheus/alerts.yml"));
      String testRules = rules.replace("expr: nudaq_calibration_ok == 0\n        for: 5m", "expr: nudaq_calibration_ok == 0\n        for: 0s");
      assertThat(testRules).as("the test copy shortens NudaqCalibrationFailing's for:").isNotEqualTo(rules);
      try (ServedProgram p = prometheus(dir.resolve("prometheus"), testRules, h.hostPort(), d.hostPort(), f.hostPort())) {
        // Scraped after the last calibrations: the healthy and drift daemons' data time of the calibration in
        // force, the failing daemon's failed attempt.
        for (Served s : List.of(h, d)) {
          MonitoredDaemon.await("Prometheus scraped the last calibration of " + s.hostPort(), Duration.ofSeconds(40),
              () -> value(p, "nudaq_calibration_data_time_seconds{instance=\"" + s.hostPort() + "\"}") >= 5 * 86_400);
        }
        MonitoredDaemon.await("Prometheus scraped the failed attempt", Duration.ofSeconds(40),
            () -> value(p, "nudaq_calibration_ok{instance=\"" + f.hostPort() + "\"}") == 0);

        MonitoredDaemon.await("NudaqCalibrationDrift firing for the drifting daemon", Duration.ofSeconds(30),
            () -> p.result(alert("NudaqCalibrationDrift", d)).size() > 0);
        JsonNode a = p.result(alert("NudaqCalibrationDrift", d)).get(0).path("metric");
        assertThat(a.path("detector").asText()).isEqualTo("hpge-1");
        assertThat(a.path("severity").asText()).isEqualTo("warning");
        MonitoredDaemon.await("NudaqCalibrationFailing firing for the failing daemon", Duration.ofSeconds(30),
            () -> p.result(alert("NudaqCalibrationFailing", f)).size() > 0);

        // Absence needs evaluations: three more with every final state scraped (counted, not slept).
        long evaluated = p.ruleEvaluations();
        MonitoredDaemon.await("three rule evaluations", Duration.ofSeconds(30), () -> p.ruleEvaluations() >= evaluated + 3);
        assertThat(p.result("ALERTS{alertname=~\"NudaqCalibration.*\",instance=\"" + h.hostPort() + "\"}"))
            .as("nothing fires for the healthy daemon").isEmpty();
        assertThat(p.result("ALERTS{alertname=\"NudaqCalibrationFailing\",instance=\"" + d.hostPort() + "\"}"))
            .as("the drifting daemon's calibrations succeed").isEmpty();
        assertThat(p.result("ALERTS{alertname=\"NudaqCalibrationDrift\",instance=\"" + f.hostPort() + "\"}"))
            .as("the failing daemon applied nothing: no line moved").isEmpty();
        assertThat(p.result(alert("NudaqCalibrationDrift", d))).as("still firing").hasSize(1);

        // The line metrics as Prometheus stored them: Ga K's fitted position and FWHM in the healthy daemon's
        // newest attempt (FWHM = 2.35482 · σ_adc · gain), and that FWHM is the simulated detector's: GEMMA-I's
        // 1.0 keV noise FWHM with the Fano term (DetectorResponse: 2.3548² · F 0.11 · ε 2.96 eV = 0.0018 keV),
        // √(1.0² + 0.0018 keV · 10.37 keV) ≈ 1.009 keV, within 3 errors.
        LineFit ga = healthy.daemon().calibrationHistory().latestAttempt(CHANNEL).lines().stream()
            .filter(l -> l.energyKeV() == 10.37).findFirst().orElseThrow();
        double gain = healthy.daemon().calibrationHistory().latestAttempt(CHANNEL).scale().gainKeVPerAdc();
        String gaK = "{instance=\"" + h.hostPort() + "\",line=\"10.37\"}";
        assertThat(value(p, "nudaq_calibration_line_position_adc" + gaK)).isCloseTo(ga.positionAdc(), within(1e-6));
        double fwhm = value(p, "nudaq_calibration_line_fwhm_kev" + gaK);
        assertThat(fwhm).isCloseTo(2.3548200450309493 * ga.sigmaAdc() * gain, within(1e-9));
        assertThat(fwhm).isCloseTo(Math.sqrt(1.0 + 2.3548200450309493 * 2.3548200450309493 * 0.11 * 2.96e-3 * 10.37), within(3 * 2.3548200450309493 * ga.sigmaErrAdc() * gain));
      }
    }
  }

  private static String alert(String name, Served s) {
    return "ALERTS{alertname=\"" + name + "\",alertstate=\"firing\",instance=\"" + s.hostPort() + "\"}";
  }

  private static double value(ServedProgram p, String promql) {
    JsonNode r = p.result(promql);
    return r.isEmpty() ? Double.NaN : r.get(0).path("value").get(1).asDouble();
  }

  /** Where the newest applied scale puts Ga K 10.37 keV, read with the scale applied before it, minus 10.37 keV. */
  private static double lastMoveKeV(SimulatorToDaemon s) {
    List<Calibration> a = s.daemon().calibrationHistory().applied(CHANNEL);
    assertThat(a).as("applied calibrations").hasSizeGreaterThanOrEqualTo(2);
    return a.get(a.size() - 2).scale().energyKeV(a.get(a.size() - 1).scale().adc(10.37)) - 10.37;
  }

  private static long lastApplied(SimulatorToDaemon s) {
    Calibration c = s.daemon().calibrationHistory().latestApplied(CHANNEL);
    return c == null ? Long.MIN_VALUE : c.atNs();
  }

  private static long lastAttempt(SimulatorToDaemon s) {
    Calibration c = s.daemon().calibrationHistory().latestAttempt(CHANNEL);
    return c == null ? Long.MIN_VALUE : c.atNs();
  }

  /** GEMMA-I, its X-ray lines ×100, a quiet NaI (the events that matter are the HPGe's), drift and calibration. */
  private static NudaqConfig config(NudaqConfig base, long seed, DriftConfig drift, CalibrationConfig calibration) {
    SimulatorConfig b = base.simulator();
    List<SimulatorConfig.XrayLine> lines = b.xrayLines().stream().map(l -> new SimulatorConfig.XrayLine(l.name(),
        l.energyKeV(), l.halfLifeDays(), l.initialPerKgDay() * 100)).toList();
    SimulatorConfig sim = new SimulatorConfig(seed, b.schedule(), 0, 0, b.comptonPerKeVKgDay(), lines,
        b.tritiumPerKgDay(), b.noisePerKgDay(), b.noiseSlopeKeV(), 0, b.burstDurationSeconds(), b.burstRateHz(), 0.05,
        0.01, b.hpgeDeadTimeNs(), b.aggregateMaxEvents(), b.aggregateMaxAgeMs(), 60, b.bufferEvents(), drift);
    return base.withSimulator(sim).withCalibration(calibration);
  }

  private static SimulatorToDaemon start(NudaqConfig config, Path dir) throws Exception {
    Files.createDirectories(dir);
    return SimulatorToDaemon.start(config, Pacing.max(), DAYS, "", dir);
  }

  /** A daemon's monitoring server (its /metrics), closed before the daemon. */
  private static final class Served implements AutoCloseable {
    private final MonitoringServer server;

    Served(SimulatorToDaemon s) {
      server = MonitoringServer.start(s.daemon(), Clock.systemUTC());
    }

    String hostPort() {
      return server.hostPort();
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** The real Prometheus scraping the three daemons as job nudaq every second, evaluating {@code rules}. */
  private static ServedProgram prometheus(Path dir, String rules, String... targets) throws Exception {
    Files.createDirectories(dir);
    Path binary = Tools.require("/usr/bin/prometheus");
    Files.writeString(dir.resolve("alerts.yml"), rules);
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files: [alerts.yml]
        scrape_configs:
          - job_name: nudaq
            static_configs:
              - targets: ['%s']
        """.formatted(String.join("', '", targets)));
    return ServedProgram.start("Prometheus", dir.resolve("prometheus.log"), Duration.ofSeconds(30),
        port -> List.of(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port));
  }
}
