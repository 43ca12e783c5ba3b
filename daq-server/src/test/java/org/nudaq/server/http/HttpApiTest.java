package org.nudaq.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.analysis.AnalysisTemplates;
import org.nudaq.monitor.spectrum.SpectrumCsv;
import org.nudaq.server.pipeline.ReactorState;

/**
 * The JSON API, /metrics and the control actions of a daemon fed by the simulator (reactor state
 * from the digitizer), checked over real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpApiTest {
  private final ObjectMapper json = new ObjectMapper();
  private Path dir;
  private MonitoredDaemon d;

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    dir = tmp;
    d = MonitoredDaemon.start(dir, "digitizer", true);
    d.awaitLimits(1, Duration.ofSeconds(40));
  }

  @AfterAll
  void stop() {
    if (d != null) {
      d.close();
    }
  }

  private JsonNode getJson(String path, int expectedStatus) throws Exception {
    HttpResponse<String> r = d.get(path);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(expectedStatus);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return json.readTree(r.body());
  }

  private double metric(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no series " + series + " in the scrape");
  }

  @Test
  void metricsEndpointServesTheDocumentedNamesWithLabels() throws Exception {
    HttpResponse<String> r = d.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
    String body = r.body();
    assertThat(body).contains("nudaq_events_received_total{board=\"0\",channel=\"0\",detector=\"hpge-1\",role=\"hpge\"}",
        "nudaq_events_vetoed_total{", "nudaq_events_gated_total{", "reason=\"muon\"", "nudaq_events_rejected_total{",
        "nudaq_events_accepted_total{", "nudaq_live_time_seconds{detector=\"hpge-1\",gates=\"after\",reactor_state=\"on\"}",
        "nudaq_reactor_on ", "nudaq_link_up{board=\"0\"} 1", "nudaq_limit_mu_90 ", "nudaq_limit_q_90 ",
        "nudaq_link_frames_total{board=\"0\"}", "nudaq_link_received_bytes_total{board=\"0\"}", "nudaq_link_skipped_bytes_total{board=\"0\"}",
        "nudaq_link_cut_frame_bytes_total{board=\"0\"}",
        "nudaq_link_crc_errors_total{", "nudaq_link_sequence_gaps_total{", "nudaq_link_frames_lost_total{",
        "nudaq_link_reconnects_total{", "nudaq_pipeline_lag_frames ", "nudaq_pipeline_frame_latency_seconds_count ",
        "nudaq_data_disk_total_bytes ", "nudaq_expected_limit_mu{band=\"median\"}",
        "nudaq_estimate_mu2 ", "nudaq_analysis_window_counts{", "nudaq_exposure_kilogram_seconds{", "nudaq_event_rate_hertz{",
        "jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads", "process_uptime_seconds", "system_cpu_usage",
        "netty_allocator_memory_used", "nudaq_http_errors_total{status=\"404\"}");
    // The limits are published, physical and match /api/limits exactly.
    JsonNode limits = getJson("/api/limits", 200);
    assertThat(metric(body, "nudaq_limit_mu_90")).isPositive();
    // Gauges must survive garbage collection (Micrometer references their state weakly).
    System.gc();
    String again = d.get("/metrics").body();
    assertThat(metric(again, "nudaq_limit_mu_90")).isPositive();
    assertThat(metric(again, "nudaq_data_disk_free_bytes")).isPositive();
    assertThat(metric(again, "nudaq_data_disk_free_bytes")).isLessThanOrEqualTo(metric(again, "nudaq_data_disk_total_bytes"));
    HttpResponse<String> om = d.http.send(HttpRequest.newBuilder(d.uri("/metrics"))
        .header("Accept", "application/openmetrics-text; version=1.0.0").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(om.headers().firstValue("content-type").orElseThrow()).startsWith("application/openmetrics-text");
    assertThat(om.body()).endsWith("# EOF\n").contains("nudaq_events_received_total{");
    assertThat(limits.path("available").asBoolean()).isTrue();
  }

  @Test
  void promtoolCheckMetricsAcceptsTheScrape() throws Exception {
    Path promtool = Tools.require("/usr/bin/promtool");
    byte[] scrape = d.get("/metrics").body().getBytes(StandardCharsets.UTF_8);
    Tools.Result r = Tools.run(Duration.ofSeconds(20), scrape, java.util.List.of(promtool.toString(), "check", "metrics"));
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void statusReportsLinkReactorLiveTimeAndRates() throws Exception {
    MonitoredDaemon.await("a rate sample with events", Duration.ofSeconds(30),
        () -> d.monitoring.meters().rates().rates().receivedHz() > 0);
    JsonNode s = getJson("/api/status", 200);
    assertThat(s.path("experiment").asText()).isEqualTo("GEMMA-I");
    assertThat(s.path("links").get(0).path("up").asBoolean()).isTrue();
    assertThat(s.path("links").get(0).path("frames").asLong()).isPositive();
    assertThat(s.path("reactor").path("source").asText()).isEqualTo("digitizer");
    assertThat(s.path("reactor").path("state").asText()).isIn("on", "off");
    JsonNode det = s.path("detectors").get(0);
    assertThat(det.path("liveTimeAfterGatesSeconds").path("on").asDouble()).isPositive();
    assertThat(det.path("liveTimeAfterGatesSeconds").path("off").asDouble()).isPositive();
    assertThat(s.path("rates").path("receivedHz").asDouble()).isPositive();
    double vetoFraction = s.path("rates").path("vetoFraction").asDouble();
    assertThat(vetoFraction).isBetween(0.0, 1.0);
    long received = s.path("totals").path("received").asLong();
    assertThat(received).isPositive();
  }

  @Test
  void spectraAreNormalisedToCountsPerTenthKeVPer1000Hours() throws Exception {
    JsonNode on = getJson("/api/spectra?detector=hpge-1&state=on&stage=after-gates", 200);
    assertThat(on.path("state").asText()).isEqualTo("on");
    assertThat(on.path("stage").asText()).isEqualTo("after-gates");
    double liveHours = on.path("liveTimeSeconds").asDouble() / 3600;
    assertThat(liveHours).isPositive();
    double width = on.path("binWidthKeV").asDouble();
    int checked = 0;
    for (int i = 0; i < on.path("counts").size(); i++) {
      long n = on.path("counts").get(i).asLong();
      if (n > 0) {
        // counts × (1000 h / live hours) × (0.1 keV / bin width)
        assertThat(on.path("per1000h").get(i).asDouble()).isCloseTo(n * 1000 / liveHours * 0.1 / width, within(1e-9 * n * 1000 / liveHours));
        checked++;
      }
    }
    assertThat(checked).isPositive();
    getJson("/api/spectra?state=off&stage=all", 200);
    getJson("/api/spectra?state=off&stage=after-veto", 200);
    assertThat(getJson("/api/spectra?state=sideways", 400).path("error").asText()).contains("state must be on or off");
    assertThat(getJson("/api/spectra?state=on&stage=raw", 400).path("status").asInt()).isEqualTo(400);
    assertThat(getJson("/api/spectra?state=on&detector=nope", 404).path("error").asText()).contains("no detector named 'nope'");
  }

  @Test
  void spectrumCsvDownloadHasOneRowPerBin() throws Exception {
    HttpResponse<String> r = d.get("/api/spectra?state=off&stage=after-gates&format=csv");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/csv");
    assertThat(r.headers().firstValue("content-disposition").orElseThrow()).contains("attachment", ".csv");
    String[] lines = r.body().split("\n");
    assertThat(lines[0]).isEqualTo(SpectrumCsv.HEADER);
    // 0-100 keV in 0.1 keV bins: 1000 rows after the header.
    assertThat(lines).hasSize(1001);
    assertThat(lines[1]).startsWith("0,0.1,");
  }

  @Test
  void residualIsOnMinusOffMinusWeakWithTheTemplatesAtTheLimit() throws Exception {
    AnalysisTemplates t = d.monitoring.api().templates();
    int k = 50; // window bin 50: 2.8 + 5.0 keV
    int bin = t.spectrumBinOf(k);
    // Snapshots move on once a second: retry until residual and spectra come from the same one (each document
    // is one snapshot's; five of them are one only if read within one second: until a deadline, not 20 times,
    // as five requests can take longer than that on a loaded machine).
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      JsonNode r = getJson("/api/residual?detector=hpge-1&rebin=1", 200);
      JsonNode on = getJson("/api/spectra?state=on&stage=after-gates", 200);
      JsonNode off = getJson("/api/spectra?state=off&stage=after-gates", 200);
      JsonNode limits = getJson("/api/limits", 200);
      JsonNode r2 = getJson("/api/residual?detector=hpge-1&rebin=1", 200);
      if (!r.path("takenAt").equals(on.path("takenAt")) || !r.path("takenAt").equals(off.path("takenAt"))
          || !r.path("takenAt").equals(r2.path("takenAt")) || r.path("muLimit").asDouble() != r2.path("muLimit").asDouble()) {
        continue;
      }
      assertThat(r.path("available").asBoolean()).isTrue();
      double onH = on.path("liveTimeSeconds").asDouble() / 3600;
      double offH = off.path("liveTimeSeconds").asDouble() / 3600;
      // counts per 0.1 keV (= one bin) per 1000 h: n·1000/T; weak template is counts/day in the bin.
      double weakPer1000h = t.weakPerDay()[k] * 1000 / 24;
      double expected = on.path("counts").get(bin).asLong() * 1000 / onH - off.path("counts").get(bin).asLong() * 1000 / offH
          - weakPer1000h;
      double muLimit = r.path("muLimit").asDouble();
      assertThat(muLimit).isEqualTo(limits.path("mu").path("limit").asDouble());
      double muTemplate = t.muUnitPerDay()[k] * Math.pow(muLimit / AnalysisTemplates.MU_UNIT_MUB, 2) * 1000 / 24;
      assertThat(r.path("energyKeV").get(k).asDouble()).isCloseTo(2.8 + 5.05, within(1e-9));
      assertThat(r.path("residual").get(k).asDouble()).isCloseTo(expected, within(1e-6 * (Math.abs(expected) + 1)));
      assertThat(r.path("muTemplate").get(k).asDouble()).isCloseTo(muTemplate, within(1e-9 * Math.abs(muTemplate) + 1e-15));
      return;
    }
    throw new AssertionError("never got residual and spectra of the same snapshot in 60 s");
  }

  @Test
  void limitsAndHistoryCarryTheExpectedBand() throws Exception {
    d.awaitLimits(2, Duration.ofSeconds(60));
    JsonNode l = getJson("/api/limits", 200);
    assertThat(l.path("confidenceLevel").asDouble()).isEqualTo(0.90);
    double lo = l.path("mu").path("expectedMinus1").asDouble();
    double med = l.path("mu").path("expected").asDouble();
    double hi = l.path("mu").path("expectedPlus1").asDouble();
    assertThat(lo).isLessThan(med);
    assertThat(med).isLessThan(hi);
    assertThat(l.path("mu").path("limit").asDouble()).isPositive();
    // Issue 16: every result's fields, and the systematic part with the joint fit (keys in docs/analysis.md).
    for (String p : new String[] {"mu", "q"}) {
      for (String key : new String[] {"lowerLimit", "interval", "significance", "method", "crossSection", "nuisances"}) {
        assertThat(l.path(p).has(key)).as(p + "." + key).isTrue();
      }
    }
    JsonNode sys = l.path("systematics");
    assertThat(sys.path("nuisances").size()).isEqualTo(8);
    assertThat(sys.path("mu").path("withSystematics").has("limit")).isTrue();
    assertThat(sys.path("joint").path("correlation").isNumber()).isTrue();
    assertThat(sys.path("joint").path("method").asText()).contains("joint");
    JsonNode h = getJson("/api/limits/history", 200);
    assertThat(h.path("capacity").asInt()).isEqualTo(1000);
    assertThat(h.path("time").size()).isGreaterThanOrEqualTo(2);
    assertThat(h.path("muLimit").size()).isEqualTo(h.path("time").size());
    assertThat(h.path("time").get(1).asDouble()).isGreaterThan(h.path("time").get(0).asDouble());
  }

  @Test
  void controlWithoutTheTokenIs401AndChangesNothing() throws Exception {
    var before = d.daemon.run().state();
    JsonNode e = json.readTree(checkStatus(d.post("/api/control/run", "{\"action\":\"start\"}", null), 401));
    assertThat(e.path("status").asInt()).isEqualTo(401);
    assertThat(e.path("error").asText()).contains("Bearer");
    checkStatus(d.post("/api/control/run", "{\"action\":\"start\"}", "not-the-token-0000000000"), 401);
    checkStatus(d.post("/api/control/snapshot", "", "wrong"), 401);
    assertThat(d.daemon.run().state()).isEqualTo(before);
    assertThat(Files.exists(d.daemon.dataDir().resolve("spectra-saved"))).isFalse();
  }

  @Test
  void malformedControlRequestsAre400AndChangeNothing() throws Exception {
    var before = d.daemon.run().state();
    String token = d.token();
    checkStatus(d.post("/api/control/run", "{\"action\":", token), 400);
    checkStatus(d.post("/api/control/run", "[1,2]", token), 400);
    checkStatus(d.post("/api/control/run", "{\"action\":\"pause\"}", token), 400);
    checkStatus(d.post("/api/control/run", "{\"action\":7}", token), 400);
    assertThat(d.daemon.run().state()).isEqualTo(before);
  }

  @Test
  void reactorControlIsRefusedWhileTheStateComesFromTheDigitizer() throws Exception {
    ReactorState before = d.daemon.snapshot().reactorState();
    JsonNode e = json.readTree(checkStatus(d.post("/api/control/reactor", "{\"state\":\"off\"}", d.token()), 409));
    assertThat(e.path("error").asText()).contains("gates.reactorStateSource", "digitizer");
    assertThat(d.config.gates().reactorStateSource().name()).isEqualTo("DIGITIZER");
    assertThat(before).isIn(ReactorState.ON, ReactorState.OFF);
  }

  @Test
  void runControlStartsNumberedRunsAndStopsThem() throws Exception {
    String token = d.token();
    long n0 = d.daemon.run().state().runNumber();
    JsonNode started = json.readTree(checkStatus(d.post("/api/control/run", "{\"action\":\"start\"}", token), 200));
    assertThat(started.path("running").asBoolean()).isTrue();
    assertThat(started.path("number").asLong()).isEqualTo(n0 + 1);
    assertThat(getJson("/api/status", 200).path("run").path("number").asLong()).isEqualTo(n0 + 1);
    assertThat(d.get("/metrics").body()).contains("nudaq_run_active 1.0", "nudaq_run_number " + (double) (n0 + 1));
    JsonNode stopped = json.readTree(checkStatus(d.post("/api/control/run", "{\"action\":\"stop\"}", token), 200));
    assertThat(stopped.path("running").asBoolean()).isFalse();
    assertThat(stopped.path("number").asLong()).isEqualTo(n0 + 1);
  }

  @Test
  void snapshotWritesTheSpectraAsJsonFiles() throws Exception {
    JsonNode r = json.readTree(checkStatus(d.post("/api/control/snapshot", "", d.token()), 200));
    // One detector: 3 stages × ON/OFF.
    assertThat(r.path("files").size()).isEqualTo(6);
    for (JsonNode f : r.path("files")) {
      Path p = Path.of(f.asText());
      assertThat(p).exists().startsWith(d.daemon.dataDir().resolve("spectra-saved").toAbsolutePath());
      assertThat(Files.readString(p)).contains("nudaq-spectrum");
    }
  }

  @Test
  void errorsAreJsonWithTheStatusAndCounted() throws Exception {
    double before = metric(d.get("/metrics").body(), "nudaq_http_errors_total{status=\"404\"}");
    assertThat(getJson("/api/nothing", 404).path("status").asInt()).isEqualTo(404);
    assertThat(getJson("/nothing.js", 404).path("error").asText()).contains("/nothing.js");
    HttpResponse<String> put = d.http.send(HttpRequest.newBuilder(d.uri("/api/status"))
        .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(getJson("/api/control/run", 405).path("error").asText()).contains("POST");
    assertThat(metric(d.get("/metrics").body(), "nudaq_http_errors_total{status=\"404\"}")).isEqualTo(before + 2);
  }

  @Test
  void oversizedBodyIsRefusedWith413() throws Exception {
    String big = "{\"action\":\"" + "x".repeat(HttpServer.MAX_CONTENT_BYTES) + "\"}";
    var before = d.daemon.run().state();
    HttpResponse<String> r = d.post("/api/control/run", big, d.token());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json.readTree(r.body()).path("status").asInt()).isEqualTo(413);
    assertThat(d.daemon.run().state()).isEqualTo(before);
  }

  @Test
  void pathTraversalNeverReachesFilesOutsideTheWebResources() throws Exception {
    for (String path : new String[] {"/../pom.xml", "/%2e%2e/%2e%2e/pom.xml", "/webjars/uplot/../../../../web/index.html",
        "/..%2fcontrol.token", "/.hidden.js", "/web/index.html", "/META-INF/MANIFEST.MF"}) {
      int status = rawStatus("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(status).as(path).isIn(400, 404);
    }
    HttpResponse<String> page = d.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>nudaq shift console</title>");
    HttpResponse<String> uplot = d.get("/webjars/uplot/dist/uPlot.iife.min.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.body()).contains("uPlot");
  }

  // --- the shift console's documents (issue 18) ---

  @Test
  void statusCarriesDeadTimeExposureAndAccountingThatAddUp() throws Exception {
    MonitoredDaemon.await("data-time rates", Duration.ofSeconds(30), () -> {
      try {
        return getJson("/api/status", 200).path("dataTimeRates").path("hpgeReceivedHz").isNumber();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    JsonNode s = getJson("/api/status", 200);
    JsonNode det = s.path("detectors").get(0);
    JsonNode acc = s.path("detectorAccounting").get(0);
    assertThat(acc.path("detector").asText()).isEqualTo("hpge-1");
    // dead = real - live before gates (ON + OFF + unknown), the same published snapshot
    double live = det.path("liveTimeBeforeGatesSeconds").path("on").asDouble() + det.path("liveTimeBeforeGatesSeconds").path("off").asDouble()
        + det.path("liveTimeBeforeGatesSeconds").path("unknown").asDouble();
    double real = acc.path("realTimeSeconds").asDouble();
    assertThat(real).isPositive();
    assertThat(acc.path("deadTimeSeconds").asDouble()).isCloseTo(real - live, within(1e-6 * real)).isGreaterThanOrEqualTo(0);
    // exposure = 1.5 kg x live time after gates / 86 400 s
    assertThat(acc.path("massKg").asDouble()).isEqualTo(1.5);
    assertThat(acc.path("exposureAfterGatesKgDays").path("on").asDouble())
        .isCloseTo(1.5 * det.path("liveTimeAfterGatesSeconds").path("on").asDouble() / 86_400, within(1e-9));
    assertThat(acc.path("excludedByGatesSeconds").path("off").asDouble()).isCloseTo(
        det.path("liveTimeBeforeGatesSeconds").path("off").asDouble() - det.path("liveTimeAfterGatesSeconds").path("off").asDouble(),
        within(1e-6));
    // received = sum rejected + vetoed + sum gated + accepted + pending
    JsonNode ev = acc.path("events");
    long sum = ev.path("vetoed").asLong() + ev.path("accepted").asLong() + ev.path("pending").asLong();
    for (JsonNode n : ev.path("rejected")) {
      sum += n.asLong();
    }
    for (JsonNode n : ev.path("gated")) {
      sum += n.asLong();
    }
    assertThat(ev.path("received").asLong()).isPositive().isEqualTo(sum);
    assertThat(ev.path("gated").has("data_quality")).isTrue();
    JsonNode r = s.path("dataTimeRates");
    assertThat(r.path("hpgeReceivedHz").asDouble()).isPositive().isLessThanOrEqualTo(r.path("allChannelsHz").asDouble());
    // An HPGe event is accepted when its quality slice (60 s of data) is judged, after it was received: the events
    // accepted in a window are those received in it (or fewer) plus at most those held at its start, about one
    // slice's worth (two, for the veto look-ahead as well) at the steady rate. Over this test's window (~10^5 s of
    // data: the simulator runs 100 000x) that allows 0.1 % more; with a window of a slice, twice as many.
    double windowSeconds = r.path("windowDataSeconds").asDouble();
    double sliceSeconds = s.path("analysis").path("qualitySliceSeconds").asDouble();
    assertThat(windowSeconds).isPositive();
    assertThat(r.path("hpgeAcceptedHz").asDouble())
        .isLessThanOrEqualTo(r.path("hpgeReceivedHz").asDouble() * (1 + 2 * sliceSeconds / windowSeconds));
    assertThat(r.path("naiReceivedHz").asDouble()).isPositive();
    JsonNode q = s.path("frameQueue");
    assertThat(q.path("capacityFrames").asInt()).isBetween(64, 4096);
    assertThat(q.path("lagFrames").asInt()).isBetween(0, q.path("capacityFrames").asInt());
    assertThat(q.path("alertAboveFrames").asInt()).isEqualTo(2048);
    assertThat(s.path("storage").path("journal").path("enabled").asBoolean()).isTrue();
    assertThat(s.path("storage").path("journal").path("sizeBytes").asLong()).isPositive();
    assertThat(s.path("storage").path("dataDiskTotalBytes").asLong()).isPositive();
    assertThat(s.path("analysis").path("windowLowKeV").asDouble()).isEqualTo(2.8);
    assertThat(s.path("analysis").path("windowHighKeV").asDouble()).isEqualTo(55.0);
    assertThat(s.path("naiChannels").get(0).path("detector").asText()).isEqualTo("nai-shield");
    JsonNode alerts = s.path("alerts");
    assertThat(alerts.path("checks").size()).isEqualTo(org.nudaq.server.metrics.ShiftChecks.RULES.size()).isEqualTo(15);
    for (JsonNode c : alerts.path("checks")) {
      if (c.path("alert").asText().equals("NudaqLinkDown")) {
        assertThat(c.path("firing").asBoolean()).isFalse();
        assertThat(c.path("runbook").asText()).isEqualTo("docs/runbook.md#nudaqlinkdown");
      }
    }
  }

  @Test
  void limitsNameTheConfiguredMethodBesideTheOneUsedAndTheIntervalLowerEnd() throws Exception {
    JsonNode l = getJson("/api/limits", 200);
    assertThat(l.path("configuredMethod").asText()).isEqualTo("feldman-cousins");
    assertThat(l.path("method").asText()).isIn("feldman-cousins", "profile-likelihood", "rebinned-profile-likelihood");
    assertThat(l.path("methodReason").asText()).isNotBlank();
    double lower = l.path("mu").path("lowerLimit").asDouble();
    assertThat(lower).isGreaterThanOrEqualTo(0).isLessThan(l.path("mu").path("limit").asDouble());
    assertThat(l.path("mu").path("twoSided").asBoolean()).isEqualTo(lower > 0);
    assertThat(l.path("q").path("lowerLimit").isNumber()).isTrue();
  }

  @Test
  void residualWindowSumIsTheSumOfItsSignalBins() throws Exception {
    // rebin=1: one group per 0.1 keV bin, so the window sums are the sums of the groups that carry a μν signal
    // (counts per 0.1 keV per 1000 h summed over 0.1 keV bins = counts per 1000 h).
    JsonNode r = getJson("/api/residual?rebin=1", 200);
    double residual = 0;
    double variance = 0;
    double mu = 0;
    double q = 0;
    int bins = 0;
    for (int g = 0; g < r.path("muTemplate").size(); g++) {
      if (r.path("muTemplate").get(g).asDouble() > 0) {
        residual += r.path("residual").get(g).asDouble();
        variance += Math.pow(r.path("error").get(g).asDouble(), 2);
        mu += r.path("muTemplate").get(g).asDouble();
        q += r.path("qTemplate").get(g).asDouble();
        bins++;
      }
    }
    JsonNode w = r.path("windowSum");
    assertThat(w.path("bins").asInt()).isEqualTo(bins).isGreaterThan(400).isLessThan(522); // 522 bins, lines masked
    assertThat(w.path("residual").asDouble()).isCloseTo(residual, within(1e-9 * (1 + Math.abs(residual))));
    assertThat(w.path("error").asDouble()).isCloseTo(Math.sqrt(variance), within(1e-9 * Math.sqrt(variance)));
    assertThat(w.path("mu").asDouble()).isPositive().isCloseTo(mu, within(1e-9 * mu));
    assertThat(w.path("q").asDouble()).isPositive().isCloseTo(q, within(1e-9 * q));
  }

  @Test
  void historySinceSendsOnlyTheNewerResults() throws Exception {
    d.awaitLimits(3, Duration.ofSeconds(60));
    JsonNode all = getJson("/api/limits/history", 200);
    int n = all.path("time").size();
    double since = all.path("time").get(n - 2).asDouble();
    JsonNode tail = getJson("/api/limits/history?since=" + since, 200);
    assertThat(tail.path("time").size()).isBetween(1, n);
    assertThat(tail.path("time").get(0).asDouble()).isEqualTo(all.path("time").get(n - 1).asDouble());
    assertThat(tail.path("muLimit").size()).isEqualTo(tail.path("time").size());
    assertThat(getJson("/api/limits/history?since=yesterday", 400).path("error").asText())
        .isEqualTo("since must be a number (epoch seconds), got since=yesterday");
  }

  @Test
  void spectraAsCountsOnlyLeaveTheScalingToTheClient() throws Exception {
    JsonNode full = getJson("/api/spectra?state=on", 200);
    JsonNode counts = getJson("/api/spectra?state=on&values=counts", 200);
    assertThat(counts.has("per1000h")).isFalse();
    assertThat(counts.path("counts").size()).isEqualTo(full.path("counts").size());
    assertThat(full.has("per1000h")).isTrue();
    assertThat(getJson("/api/spectra?state=on&values=some", 400).path("error").asText())
        .isEqualTo("values must be all or counts, got 'some'");
  }

  @Test
  void naiSpectraAreGroupedWithoutLosingCounts() throws Exception {
    JsonNode n = getJson("/api/nai", 200);
    assertThat(n.path("spectra").size()).isEqualTo(2);
    for (JsonNode sp : n.path("spectra")) {
      assertThat(sp.path("counts").size()).isBetween(1, ShiftDocuments.NAI_MAX_BINS);
      long sum = 0;
      for (JsonNode c : sp.path("counts")) {
        sum += c.asLong();
      }
      assertThat(sum).isEqualTo(sp.path("inRange").asLong());
    }
    assertThat(n.path("muonThresholdKeV").asDouble()).isPositive();
  }

  @Test
  void responsesAreGzippedForClientsThatAsk() throws Exception {
    HttpResponse<byte[]> r = d.http.send(HttpRequest.newBuilder(d.uri("/api/spectra?state=on")).header("Accept-Encoding", "gzip").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.headers().firstValue("content-encoding")).hasValue("gzip");
    byte[] plain = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes();
    assertThat(json.readTree(plain).path("counts").size()).isEqualTo(1000);
    assertThat(r.body().length).isLessThan(plain.length / 2);
    assertThat(d.get("/api/status").headers().firstValue("content-encoding")).isEmpty(); // no Accept-Encoding: plain
  }

  /** Sends raw bytes (the Java client would normalise the path) and returns the status code. */
  private int rawStatus(String request) throws IOException {
    try (Socket s = new Socket(d.monitoring.address().getAddress(), d.monitoring.address().getPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(head.substring(9, 12));
    }
  }

  private static String checkStatus(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r.body();
  }
}
