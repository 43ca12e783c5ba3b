package org.nudaq.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.CalibrationCodec;
import org.nudaq.monitor.calibration.CalibrationStatus;
import org.nudaq.monitor.calibration.EnergyScale;
import org.nudaq.monitor.calibration.ResolutionCurve;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.calibration.CalibrationHistory;
import org.nudaq.server.metrics.CalibrationMetrics;

/**
 * Issue 17's alert rules (config/prometheus/alerts.yml) against a real Prometheus (Debian package
 * prometheus): promtool accepts the rules; Prometheus scraping the calibration metrics of
 * {@link CalibrationMetrics} fires NudaqCalibrationDrift when the newest calibration moved a line beyond
 * calibration.alarmShiftKeV (and not before), and NudaqCalibrationFailing when the newest attempt failed.
 * The test copy of the rules differs only in {@code for: 0s} for NudaqCalibrationFailing.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CalibrationAlertTest {

  private static Calibration calibration(CalibrationStatus status, double gain, double shiftKeV) {
    return new Calibration(status, 86_400_000_000_000L, 0, new EnergyScale(0, gain, 0, 1e-6, 0, 0, 0),
        new ResolutionCurve(1, 0), List.of(), shiftKeV, status.applied() ? "ok" : "too few counts");
  }

  @Test
  void driftAndFailureAlertsFire(@TempDir Path dir) throws Exception {
    Path promtool = Tools.require("/usr/bin/promtool");
    Tools.Result check = Tools.run(Duration.ofSeconds(20), Path.of("../config/prometheus/alerts.yml"), promtool.toString(),
        "check", "rules");
    assertThat(check.exitCode()).as(check.output()).isZero();

    NudaqConfig config = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    config = config.withCalibration(config.calibration().withEnabled(true));
    CalibrationHistory history = new CalibrationHistory();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new CalibrationMetrics(history, config, List.of()).bindTo(registry);
    // A first calibration moving the line by 0.01 keV: below alarmShiftKeV (0.05), no alert.
    CalibrationCodec.Change quiet = new CalibrationCodec.Change(0, 0, calibration(CalibrationStatus.CALIBRATED, 0.005, 0.01));
    history.attempted(quiet);
    history.applied(quiet);

    HttpServer metrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    metrics.createContext("/metrics", ex -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    metrics.start();
    ServedProgram prometheus = null;
    try {
      String rules = Files.readString(Path.of("../config/prometheus/alerts.yml"));
      String testRules = rules.replace("expr: nudaq_calibration_ok == 0\n        for: 5m", "expr: nudaq_calibration_ok == 0\n        for: 0s");
      assertThat(testRules).contains("nudaq_calibration_ok == 0\n        for: 0s");
      prometheus = ServedProgram.prometheus(dir, testRules, "127.0.0.1:" + metrics.getAddress().getPort(), null);
      ServedProgram p = prometheus;
      MonitoredDaemon.await("Prometheus scraped the calibration metrics", Duration.ofSeconds(40),
          () -> p.result("nudaq_calibration_shift_kev").size() > 0);
      // Absence needs time: three rule evaluations with the small shift scraped (counted, not slept: on a
      // loaded machine three seconds need not hold three evaluations).
      long evaluated = p.ruleEvaluations();
      MonitoredDaemon.await("three rule evaluations", Duration.ofSeconds(30), () -> p.ruleEvaluations() >= evaluated + 3);
      assertThat(p.result("ALERTS{alertname=~\"NudaqCalibration.*\"}")).as("nothing fires for a small move").isEmpty();

      // A step: the line moved by 0.3 keV.
      CalibrationCodec.Change step = new CalibrationCodec.Change(0, 0, calibration(CalibrationStatus.STEP, 0.00503, 0.3));
      history.attempted(step);
      history.applied(step);
      MonitoredDaemon.await("NudaqCalibrationDrift firing", Duration.ofSeconds(30),
          () -> p.result("ALERTS{alertname=\"NudaqCalibrationDrift\",alertstate=\"firing\"}").size() > 0);
      JsonNode a = p.result("ALERTS{alertname=\"NudaqCalibrationDrift\",alertstate=\"firing\"}").get(0).path("metric");
      assertThat(a.path("detector").asText()).isEqualTo("hpge-1");
      assertThat(a.path("severity").asText()).isEqualTo("warning");
      assertThat(p.result("ALERTS{alertname=\"NudaqCalibrationFailing\"}")).isEmpty();

      // Then an attempt fails: the last good calibration stays, and the failure alert fires.
      history.attempted(new CalibrationCodec.Change(0, 0, calibration(CalibrationStatus.TOO_FEW_COUNTS, 0.00503, 0)));
      MonitoredDaemon.await("NudaqCalibrationFailing firing", Duration.ofSeconds(30),
          () -> p.result("ALERTS{alertname=\"NudaqCalibrationFailing\",alertstate=\"firing\"}").size() > 0);
      assertThat(p.result("nudaq_calibration_failures_total").get(0).path("value").get(1).asDouble()).isEqualTo(1);
    } finally {
      if (prometheus != null) {
        prometheus.close();
      }
      metrics.stop(0);
    }
  }
}
