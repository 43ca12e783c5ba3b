package org.nudaq.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.pipeline.GateReason;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.shift.ShiftRecord;
import org.nudaq.server.shift.ShiftReplay;

/**
 * Issue 18's acceptance for runs, logbook and slow control, on a real daemon fed by the real simulator
 * over TCP, with its real journal: the API after a run with start/stop, operator entries and reactor
 * transitions, the same record rebuilt from the journal and by a restarted daemon; an LN2 level below its
 * limit for exactly two hours of data time takes exactly those two hours off the live time, under the
 * rule's label; bad readings get a 4xx and are counted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShiftConsoleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The test profile with no muons (so no other gate overlaps the slow-control window) and two sensors, one rule. */
  static NudaqConfig config() throws Exception {
    String yaml = MonitoredDaemon.testYaml("digitizer").replace("muonHz: 0.01", "muonHz: 0")
        + "\nslowControl:\n  sensors:\n    - {name: ln2Level, unit: \"%\"}\n    - {name: hv, unit: V}\n"
        + "  rules:\n    - {sensor: ln2Level, below: 20}\n";
    if (!yaml.contains("muonHz: 0\n")) {
      throw new IllegalStateException("the test profile changed: muonHz no longer replaced");
    }
    return new ConfigLoader().parse("shift-test.yaml", yaml);
  }

  @Test
  void runsAndLogbookInTheApiAreRebuiltFromTheJournalAndKeptAcrossARestart(@TempDir Path dir) throws Exception {
    String runsLive;
    String logbookLive;
    String sha;
    org.nudaq.server.daemon.Daemon first;
    try (MonitoredDaemon d = MonitoredDaemon.start(dir, config(), true)) {
      String token = d.token();
      MonitoredDaemon.await("data", Duration.ofSeconds(20), () -> d.daemon.snapshot() != null && d.daemon.snapshot().totals().received() > 0);
      var r = d.post("/api/control/run", "{\"action\":\"start\",\"comment\":\"physics, reactor at nominal\"}", token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).path("number").asLong()).isEqualTo(1);
      assertThat(JSON.readTree(r.body()).path("run").path("startComment").asText()).isEqualTo("physics, reactor at nominal");
      assertThat(d.post("/api/control/logbook", "{\"author\":\"A. Shifter\",\"text\":\"LN2 filled\"}", token).statusCode()).isEqualTo(200);
      assertThat(d.post("/api/control/logbook", "{\"author\":\"B. Shifter\",\"text\":\"HV checked, 3.5 kV\"}", token).statusCode())
          .isEqualTo(200);
      // The simulator's reactor goes ON/OFF every 1-2 days of data: a transition within seconds.
      MonitoredDaemon.await("a REACTOR entry", Duration.ofSeconds(30), () -> get(d, "/api/logbook?run=1").toString().contains("\"REACTOR\""));
      // Alertmanager's webhook (version 4) posts a firing alert: an ALERT entry.
      var alert = d.post("/api/control/alerts", "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
          + "\"labels\":{\"alertname\":\"NudaqCrcErrors\",\"severity\":\"warning\"},\"annotations\":{\"summary\":\"corrupt frames on board 0\"}}]}",
          token);
      assertThat(alert.statusCode()).as(alert.body()).isEqualTo(200);
      assertThat(d.post("/api/control/alerts", "{\"status\":\"firing\"}", token).statusCode()).isEqualTo(400);
      r = d.post("/api/control/run", "{\"action\":\"stop\",\"comment\":\"end of fill\"}", token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      // Bad requests change nothing.
      assertThat(d.post("/api/control/logbook", "{\"author\":\"A. Shifter\",\"text\":\"no token\"}", null).statusCode()).isEqualTo(401);
      assertThat(d.post("/api/control/logbook", "{\"author\":\"A. Shifter\"}", token).statusCode()).isEqualTo(400);
      assertThat(d.post("/api/control/run", "{\"action\":\"pause\"}", token).statusCode()).isEqualTo(400);
      assertThat(d.get("/api/logbook?run=x").statusCode()).isEqualTo(400);

      JsonNode runs = get(d, "/api/runs");
      assertThat(runs.path("current").isNull()).isTrue();
      assertThat(runs.path("runs")).hasSize(1);
      JsonNode run = runs.path("runs").get(0);
      assertThat(run.path("number").asLong()).isEqualTo(1);
      assertThat(run.path("stopComment").asText()).isEqualTo("end of fill");
      sha = run.path("configSha256").asText();
      assertThat(sha).matches("[0-9a-f]{64}");
      JsonNode summary = run.path("summary");
      assertThat(summary.path("events").path("received").asLong()).isPositive();
      assertThat(summary.path("events").path("received").asLong()).isLessThan(d.daemon.snapshot().totals().received());
      assertThat(summary.path("detectors").get(0).path("liveTimeOnSeconds").asDouble()
          + summary.path("detectors").get(0).path("liveTimeOffSeconds").asDouble()).isPositive();
      assertThat(summary.has("limitsAtStop")).isTrue();

      JsonNode entries = get(d, "/api/logbook?run=1").path("entries");
      List<String> kinds = new ArrayList<>();
      entries.forEach(e -> kinds.add(e.path("kind").asText()));
      assertThat(kinds.get(0)).isEqualTo("RUN_START");
      assertThat(kinds.get(kinds.size() - 1)).isEqualTo("RUN_STOP");
      assertThat(kinds).contains("REACTOR", "ALERT");
      // The first known state is said once as what it is, not as a change from the UNKNOWN of every start.
      String all = get(d, "/api/logbook").path("entries").toString();
      assertThat(all).containsPattern("reactor state (ON|OFF) \\(from digitizer\\) at data time").doesNotContain("UNKNOWN →");
      assertThat(entries.toString()).contains("FIRING NudaqCrcErrors (warning): corrupt frames on board 0");
      assertThat(kinds.stream().filter("OPERATOR"::equals).count()).isEqualTo(2);
      assertThat(entries.toString()).contains("\"author\":\"A. Shifter\"", "\"text\":\"HV checked, 3.5 kV\"");
      entries.forEach(e -> assertThat(e.path("run").asLong()).isEqualTo(1));
      // The run's logbook file in the data directory: the same entries, one JSON object a line.
      List<String> lines = Files.readAllLines(d.daemon.dataDir().resolve("runs").resolve("run-000001.logbook.jsonl"));
      assertThat(lines).hasSize(entries.size());
      assertThat(JSON.readTree(lines.get(1))).isEqualTo(entries.get(1));
      first = d.daemon;
    }
    // Closed: no entry comes later (the watcher stops), so the record is final.
    runsLive = JSON.writeValueAsString(first.shift().record().runsJson());
    logbookLive = JSON.writeValueAsString(first.shift().record().logbookJson(null));
    // The journal alone gives the same record (the replay's calls are the live ones).
    Path journal = dir.resolve("data").resolve("journal");
    ShiftRecord replayed = ShiftReplay.read(journal, null, config().slowControl());
    assertThat(JSON.writeValueAsString(replayed.runsJson())).isEqualTo(runsLive);
    assertThat(JSON.writeValueAsString(replayed.logbookJson(null))).isEqualTo(logbookLive);
    // So does the replay of the one session, which nudaq replay writes next to its spectra.
    ShiftRecord session = ShiftReplay.read(journal, JournalSession.all(journal).get(0), config().slowControl());
    assertThat(JSON.writeValueAsString(session.runsJson())).isEqualTo(runsLive);

    // A restarted daemon shows the same, and numbers the next run 2.
    try (MonitoredDaemon d = MonitoredDaemon.start(dir, config(), true)) {
      assertThat(JSON.writeValueAsString(JSON.readTree(d.get("/api/runs").body()))).isEqualTo(runsLive);
      var r = d.post("/api/control/run", "{\"action\":\"start\"}", d.token());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).path("number").asLong()).isEqualTo(2);
      assertThat(get(d, "/api/runs").path("current").asLong()).isEqualTo(2);
      assertThat(get(d, "/api/runs").path("runs").get(1).path("configSha256").asText()).isEqualTo(sha);
    }
  }

  @Test
  void ln2BelowItsLimitForTwoHoursOfDataTimeRemovesExactlyTwoHoursOfLiveTime(@TempDir Path dir) throws Exception {
    try (MonitoredDaemon d = MonitoredDaemon.start(dir, config(), true)) {
      String token = d.token();
      MonitoredDaemon.await("data", Duration.ofSeconds(20), () -> d.daemon.snapshot() != null && d.daemon.snapshot().dataTimeNs() > 0);
      // Bad readings: 4xx with a one-line message, counted, nothing applied.
      var bad = d.post("/api/control/slow-control", "{\"readings\":[{\"sensor\":\"ln2\",\"value\":50}]}", token);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(bad.body()).path("error").asText()).contains("unknown sensor \"ln2\"", "ln2Level, hv").doesNotContain("\n");
      bad = d.post("/api/control/slow-control", "{\"readings\":[{\"sensor\":\"ln2Level\",\"value\":\"low\"}]}", token);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(bad.body()).path("error").asText()).contains("readings[0].value must be a finite number");
      assertThat(d.post("/api/control/slow-control", "{\"readings\":[{\"sensor\":\"ln2Level\",\"value\":5}]}", null).statusCode())
          .isEqualTo(401);
      assertThat(d.post("/api/control/slow-control", "{\"readings\":[{\"sensor\":\"ln2Level\",\"value\":5,\"time\":\"noon\"}]}", token)
          .statusCode()).isEqualTo(400);
      String metrics = d.get("/metrics").body();
      assertThat(metrics).contains("nudaq_slow_control_rejected_total{reason=\"unknown_sensor\"} 1.0",
          "nudaq_slow_control_rejected_total{reason=\"not_a_number\"} 1.0", "nudaq_slow_control_rejected_total{reason=\"no_token\"} 1.0",
          "nudaq_slow_control_rejected_total{reason=\"bad_request\"} 1.0");
      assertThat(get(d, "/api/slow-control").path("sensors").get(0).path("value").isNull()).isTrue();

      // One push: LN2 at 15.2 % one data-day from now, back at 83 % two hours later (times relative to the
      // daemon's clock; one push keeps their distance exact in data time).
      Instant t1 = Instant.now().plus(Duration.ofDays(1));
      Instant t2 = t1.plus(Duration.ofHours(2));
      var ok = d.post("/api/control/slow-control", "{\"readings\":[{\"sensor\":\"ln2Level\",\"value\":15.2,\"time\":\"" + t1
          + "\"},{\"sensor\":\"ln2Level\",\"value\":83.0,\"time\":\"" + t2 + "\"},{\"sensor\":\"hv\",\"value\":3500}]}", token);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      // The data time the readings were placed from: that of a snapshot taken after the answer (the readings were
      // applied before it), not of the latest one, which may predate the request by up to a publish interval:
      // at the simulator's 100 000x that is more than a day of data, and the window would not be passed yet.
      Instant answered = Instant.now();
      MonitoredDaemon.await("a snapshot taken after the readings", Duration.ofSeconds(30),
          () -> d.daemon.snapshot().takenAt().isAfter(answered));
      long startNs = d.daemon.snapshot().dataTimeNs();
      // Wait until the data are past the window by more than two quality slices (gated time is booked when a slice closes).
      MonitoredDaemon.await("data two days on", Duration.ofSeconds(60),
          () -> d.daemon.snapshot().dataTimeNs() > startNs + Duration.ofDays(2).toNanos());
      JsonNode sc = get(d, "/api/slow-control");
      assertThat(sc.path("excludedLiveTimeSecondsByReason").path("ln2Level < 20").asDouble()).isEqualTo(7200.0);
      assertThat(sc.path("sensors").get(0).path("value").asDouble()).isEqualTo(83.0);
      assertThat(sc.path("sensors").get(0).path("unit").asText()).isEqualTo("%");
      assertThat(sc.path("sensors").get(0).path("ruleViolated").asBoolean()).isFalse();
      assertThat(sc.path("sensors").get(1).path("value").asDouble()).isEqualTo(3500.0);
      assertThat(d.get("/metrics").body()).contains("nudaq_slow_control_excluded_seconds{rule=\"ln2Level < 20\"} 7200.0",
          "nudaq_slow_control_readings_total 3.0");

      PipelineSnapshot s = d.daemon.snapshot();
      PipelineSnapshot.DetectorSnapshot det = s.detectors().get(0);
      assertThat(det.badSlices()).as("no other gate takes time here").isZero();
      // No muons, no transition margin, no bad slice: the only time gated is the LN2 window.
      double removed = det.liveTimeBeforeGatesOnSeconds() + det.liveTimeBeforeGatesOffSeconds() - det.liveTimeOnSeconds()
          - det.liveTimeOffSeconds();
      // Live time before gates lags the clock by the boards' status period, gated time by a slice: both are long past the window.
      assertThat(removed).isCloseTo(7200.0, org.assertj.core.data.Offset.offset(1e-6));
      // The window's HPGe events are gated slow_control (counted exactly in SlowControlGateTest). Here the simulator
      // runs 100 000x real time: on a loaded machine its boards lose triggers (counted) and 2 h of data time
      // (72 ms of wall time) may hold none, so the count is checked only when no trigger was lost.
      long lostTriggers = s.channels().stream().mapToLong(PipelineSnapshot.ChannelSnapshot::lostTriggersReported).sum();
      if (lostTriggers == 0) {
        assertThat(s.totals().gated().get(GateReason.SLOW_CONTROL)).as("HPGe events in the window gated").isPositive();
      }
      JsonNode log = get(d, "/api/logbook");
      assertThat(log.toString()).contains("\"kind\":\"SLOW_CONTROL\"", "data excluded from " + t1.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
          "ln2Level < 20 (ln2Level = 15.2 %)", "data taken again from");
    }
  }

  private static JsonNode get(MonitoredDaemon d, String path) {
    try {
      var r = d.get(path);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError(path + ": " + e, e);
    }
  }
}
