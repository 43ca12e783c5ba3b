package org.nudaq.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The shift console in Debian's headless Chromium against a daemon fed by the simulator (one daemon
 * start for the whole page): every element of the three sections (state of everything, physics,
 * diagnostics) and the operations panels shows a real value from the run, the plots are drawn from
 * non-empty data (spectra with no bin dropped, ON drawn over OFF, the signal templates inside the
 * residual plot's range), no console errors, every request to the daemon itself. Screenshots go to
 * target/screenshots/ (the whole page and the first screen of a laptop) and the bytes the page and one
 * refresh transfer to target/screenshots/shift-console-transfer.txt, for humans and docs/web-page.md.
 * The operations panels show a run started with a comment, two operator logbook entries and two
 * slow-control readings (LN2 below its rule) posted through the control API before the page opens.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class WebPageBrowserTest {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final String DURATION = "-?[0-9.]+ (s|min|h|d)";

  @Test
  void shiftConsoleShowsStatePhysicsAndDiagnosticsOfARealRunWithoutErrors(@TempDir Path dir) throws Exception {
    Tools.require("/usr/bin/chromium");
    Tools.require("/usr/bin/chromedriver");
    // The test profile with two slow-control sensors and an LN2 rule, so the operations panels show the daemon's own answers.
    String yaml = MonitoredDaemon.testYaml("digitizer") + "\nslowControl:\n  sensors:\n    - {name: ln2Level, unit: \"%\"}\n"
        + "    - {name: hv, unit: V}\n  rules:\n    - {sensor: ln2Level, below: 20}\n"
        // Issue 17: online calibration on (a fit per simulated day; a loose gain-error cut so epochs are applied).
        + "calibration:\n  enabled: true\n  intervalHours: 24\n  maxGainErrPercent: 5\n";
    try (MonitoredDaemon d = MonitoredDaemon.start(dir, new org.nudaq.monitor.config.ConfigLoader().parse("page-test.yaml", yaml), true)) {
      d.awaitLimits(3, Duration.ofSeconds(40));
      // A shift's operations through the API: a run with a comment, two operator entries, two readings (LN2 low).
      String token = d.token();
      assertThat(d.post("/api/control/run", "{\"action\":\"start\",\"comment\":\"physics after refuelling\"}", token)
          .statusCode()).isEqualTo(200);
      assertThat(d.post("/api/control/logbook", "{\"author\":\"shift-a\",\"text\":\"LN2 filled\"}", token).statusCode())
          .isEqualTo(200);
      assertThat(d.post("/api/control/logbook", "{\"author\":\"shift-b\",\"text\":\"HV checked\"}", token).statusCode())
          .isEqualTo(200);
      assertThat(d.post("/api/control/slow-control", "{\"readings\":[{\"sensor\":\"ln2Level\",\"value\":12.5},"
          + "{\"sensor\":\"hv\",\"value\":3000}]}", token).statusCode()).isEqualTo(200);
      System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
      ChromeOptions options = new ChromeOptions();
      options.setBinary("/usr/bin/chromium");
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
          "--window-size=1400,1000", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium")));
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      ChromeDriver driver = new ChromeDriver(options);
      try {
        driver.get(d.uri("/").toString());
        JavascriptExecutor js = driver;
        // Five uPlot charts with data, the operations panels rendered and two refreshes counted: poll the page's own state.
        awaitPage(driver, Duration.ofSeconds(40), () -> {
          Object n = js.executeScript("return document.querySelectorAll('.uplot canvas').length");
          Object history = js.executeScript("const h = window.__nudaq.history; return h ? h.time.length : 0");
          Object refreshes = js.executeScript("return window.__nudaqTransfer.refreshes");
          return ((Number) n).intValue() >= 5 && ((Number) history).intValue() >= 2 && ((Number) refreshes).intValue() >= 2
              && !text(driver, "runs").equals("–");
        });
        Path shots = Files.createDirectories(Path.of("target/screenshots"));
        Files.write(shots.resolve("shift-console-first-screen.png"), driver.getScreenshotAs(OutputType.BYTES));

        // --- state of everything ---
        assertThat(text(driver, "run")).matches("run [0-9]+ (running|stopped)|no run started");
        assertThat(text(driver, "reactor")).matches("reactor (ON|OFF)");
        assertThat(text(driver, "reactor-detail")).startsWith("state from digitizer").contains("mean power while ON");
        assertThat(text(driver, "links")).contains("board 0 up");
        assertThat(text(driver, "links-value")).isEqualTo("1 of 1 up");
        assertThat(text(driver, "links-detail")).matches("CRC errors [0-9]+ · sequence gaps [0-9]+ · frames lost [0-9]+ · reconnects [0-9]+");
        assertThat(text(driver, "journal-value")).matches("recording · [0-9.]+ (B|kB|MB|GB)");
        assertThat(text(driver, "journal-detail")).contains("journal disk").contains("free").contains("data disk");
        assertThat(text(driver, "journal-pill")).isEqualTo("journal ok");
        @SuppressWarnings("unchecked") // read in one script: the page rewrites the list at every refresh
        List<String> checks = (List<String>) js.executeScript(
            "return [...document.querySelectorAll('#alerts-list li')].map(li => li.innerText)");
        assertThat(checks).hasSize(15);
        assertThat(checks).anySatisfy(t -> assertThat(t).contains("NudaqLinkDown").contains("1 board link(s) up"));
        assertThat(text(driver, "alerts-value")).matches("none firing \\(15 rules checked\\)|[0-9]+ firing.*");
        assertThat(text(driver, "alerts-pill")).matches("no alerts|[0-9]+ alerts? firing");

        // --- physics ---
        assertThat(text(driver, "live-on")).matches(DURATION);
        assertThat(text(driver, "live-off")).matches(DURATION);
        assertThat(number(text(driver, "exposure-on"), "kg·day")).isPositive();
        assertThat(number(text(driver, "exposure-off"), "kg·day")).isPositive();
        assertThat(text(driver, "dead-fraction")).matches("[0-9.]+ %");
        assertThat(text(driver, "dead-time")).matches(DURATION + " / " + DURATION);
        // The limit and the expected sensitivity on separate, labelled lines; the method and the interval named.
        assertThat(text(driver, "mu-limit")).matches("< [0-9]+\\.[0-9]{2} ×10⁻¹¹ μB");
        assertThat(text(driver, "mu-expected")).matches("[0-9]+\\.[0-9]{2} ×10⁻¹¹ μB");
        assertThat(text(driver, "mu-band")).matches("[0-9.]+ to [0-9.]+ ×10⁻¹¹ μB");
        assertThat(text(driver, "mu-interval")).matches("upper limit \\(lower end 0\\)|two-sided: .*");
        assertThat(text(driver, "q-limit")).matches("< [0-9]+\\.[0-9]{2} ×10⁻¹² e₀");
        assertThat(text(driver, "q-expected")).matches("[0-9]+\\.[0-9]{2} ×10⁻¹² e₀");
        assertThat(text(driver, "mu-cl")).isEqualTo("(90% CL)");
        String method = (String) js.executeScript("return window.__nudaq.limits.method");
        assertThat(text(driver, "method")).startsWith(method.replace('-', ' ')).contains("configured: feldman cousins");
        assertThat(text(driver, "method-detail")).isNotBlank();
        // Spectra: every bin drawn (an empty one at half a count), ON drawn after (over) OFF, window and threshold named.
        long nullBins = ((Number) js.executeScript(
            "const s = window.__nudaq.spectra; return s.on.concat(s.off).filter(v => v === null || !(v > 0)).length")).longValue();
        long bins = ((Number) js.executeScript("return window.__nudaq.spectra.on.length")).longValue();
        assertThat(nullBins).as("spectrum bins not drawn on the log scale").isZero();
        assertThat(bins).isGreaterThan(90);
        assertThat(js.executeScript("return window.__nudaqPlots.spectra.series.map(s => s.label.split(' ')[0])"))
            .isEqualTo(List.of("keV", "OFF", "ON"));
        assertThat(text(driver, "spectra-hint")).contains("empty bin is drawn at ½ count");
        // Residual: the μν and qν signals at the limit drawn on the right axis, which shares the left axis's zero
        // and puts the larger signal at 70% of its top (or uses the left axis when the signals are already that large).
        @SuppressWarnings("unchecked")
        Map<String, Object> residual = (Map<String, Object>) js.executeScript(
            "const p = window.__nudaqPlots.residual, r = window.__nudaq.residual;"
                + "return {ymin: p.scales.y.min, ymax: p.scales.y.max, smin: p.scales.sig.min, smax: p.scales.sig.max,"
                + " mu: Math.max(...r.muTemplate), q: Math.max(...r.qTemplate), points: r.residual.filter(v => v !== null).length}");
        Files.writeString(shots.resolve("shift-console-residual.json"), String.valueOf(js.executeScript(
            "return JSON.stringify(window.__nudaq.residual)")));
        double sigMax = ((Number) residual.get("smax")).doubleValue();
        double larger = Math.max(((Number) residual.get("mu")).doubleValue(), ((Number) residual.get("q")).doubleValue());
        assertThat(((Number) residual.get("points")).intValue()).isEqualTo(27); // 2.8-55 keV in 2 keV groups
        assertThat(larger / sigMax).as("larger signal against the right axis's top").isBetween(0.5, 1.0);
        assertThat(((Number) residual.get("mu")).doubleValue() / sigMax).as("μν signal against the right axis's top").isGreaterThan(0.05);
        assertThat(((Number) residual.get("smin")).doubleValue() / sigMax).as("the two axes share their zero")
            .isCloseTo(((Number) residual.get("ymin")).doubleValue() / ((Number) residual.get("ymax")).doubleValue(), within(1e-9));
        assertThat(text(driver, "residual-hint")).containsPattern("Summed over the [0-9]+ signal bins of the window: "
            + "ON − OFF − weak -?[0-9.]+ ± [0-9.]+, μν signal at the limit [0-9.]+, qν [0-9.]+ \\(counts per 1000 h\\)");
        String accounting = text(driver, "accounting");
        assertThat(accounting).contains("received").contains("rejected: pileup").contains("vetoed by the NaI")
            .contains("gated: muon").contains("gated: data quality").contains("accepted (the analysis spectrum)");
        assertThat(text(driver, "livetime")).contains("before gates").contains("excluded by gates").contains("after gates")
            .contains("dead time");
        assertThat((Long) js.executeScript("return window.__nudaq.history.exposureKgDays.length")).isGreaterThanOrEqualTo(2);

        // --- diagnostics ---
        String rates = text(driver, "rates");
        assertThat(rates).containsPattern("HPGe received [0-9.]+ m?Hz data time")
            .containsPattern("NaI received \\(all segments\\) [0-9.]+ m?Hz data time")
            .containsPattern("daemon throughput, all channels [0-9.]+ m?Hz wall clock");
        String linkTable = text(driver, "link-table");
        assertThat(linkTable).contains("CRC errors").contains("sequence gaps").contains("frames lost").containsPattern("\\n0 up [0-9,]+");
        assertThat(text(driver, "lag-value")).matches("[0-9,]+ of [0-9,]+ frames waiting \\([0-9]+ %\\) · .* · links paused [0-9,]+ times");
        assertThat(text(driver, "lag-detail")).contains("back-pressure");
        assertThat(text(driver, "dq-value")).matches("[0-9,]+ of [0-9,]+ slices rejected \\([0-9.]+ %\\)");
        assertThat(text(driver, "nai-table")).containsPattern("nai-shield 0/1 [0-9,]+ [0-9.]+ m?Hz");
        assertThat((Long) js.executeScript("return window.__nudaq.nai.spectra.length")).isEqualTo(2L);

        // --- operations: the run, the logbook and slow control as the daemon answers them ---
        awaitPage(driver, Duration.ofSeconds(60), () -> text(driver, "runs").contains("physics after refuelling")
            && text(driver, "logbook").contains("HV checked") && text(driver, "slow-control").contains("ln2Level"));
        assertThat(text(driver, "runs")).contains("running");
        assertThat(text(driver, "logbook")).contains("OPERATOR LN2 filled — shift-a").contains("HV checked — shift-b")
            .contains("RUN_START");
        assertThat(text(driver, "slow-control")).contains("ln2Level 12.50 % ").contains("VIOLATED: time excluded")
            .contains("hv 3000.00 V");

        // --- energy calibration (issue 17): the plots drawn with the daemon's own points, the alarm band, the masks ---
        MonitoredDaemon.await("an applied calibration with fitted line shifts", Duration.ofSeconds(40), () -> {
          try {
            var h = JSON.readTree(d.get("/api/calibration/history").body()).get("channels");
            if (h.isEmpty() || !h.get(0).get("status").toString().contains("calibrated")) {
              return false;
            }
            int shifts = 0;
            for (var line : h.get(0).get("lines")) {
              for (var v : line.get("shiftKeV")) {
                shifts += v.isNull() ? 0 : 1;
              }
            }
            return shifts >= 2;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        js.executeScript("window.__nudaqRefreshOps()");
        // Until the page's own plot has the two shifts the API had (a refresh already under way when the API
        // was read draws the history of before; calibrations are rare at nominal line intensities).
        awaitPage(driver, Duration.ofSeconds(60), () -> ((Number) js.executeScript(
            "const p = window.__nudaqPlots['calib-shift'];"
                + " return p && p.data[0].length >= 2 ? p.data.slice(1).reduce((a, s) => a + s.filter(v => v !== null && isFinite(v)).length, 0) : 0"))
            .intValue() >= 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> calibPlot = (Map<String, Object>) js.executeScript(
            "const p = window.__nudaqPlots['calib-shift'], f = window.__nudaqPlots['calib-fwhm'];"
                + "const finite = a => a.filter(v => v !== null && isFinite(v)).length;"
                + "return {days: p.data[0], lines: p.data.length - 1, shiftPoints: p.data.slice(1).reduce((a, s) => a + finite(s), 0),"
                + " fwhmPoints: f.data.slice(1).reduce((a, s) => a + finite(s), 0), ymin: p.scales.y.min, ymax: p.scales.y.max,"
                + " canvases: document.querySelectorAll('#calib-shift canvas, #calib-fwhm canvas').length}");
        // The history read after the plot: it holds every attempt the page had (the daemon calibrates on meanwhile,
        // so one read before the plot could miss the page's newest point; CI saw that once).
        var api = JSON.readTree(d.get("/api/calibration/history").body());
        var channel = api.get("channels").get(0);
        assertThat(text(driver, "calib-name")).isEqualTo(channel.get("channel").asText());
        @SuppressWarnings("unchecked")
        List<Number> days = (List<Number>) calibPlot.get("days");
        // Real points: every plotted time is an attempt of the daemon's history, in days of data time.
        List<Double> apiDays = new ArrayList<>();
        channel.get("atNs").forEach(v -> apiDays.add(v.asLong() / 86400e9));
        assertThat(days).isNotEmpty().allSatisfy(x -> assertThat(apiDays).anySatisfy(y -> assertThat(y).isCloseTo(x.doubleValue(), within(1e-9))));
        assertThat(((Number) calibPlot.get("shiftPoints")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat(((Number) calibPlot.get("fwhmPoints")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat(((Number) calibPlot.get("canvases")).intValue()).isGreaterThanOrEqualTo(2);
        // The alarm band ±calibration.alarmShiftKeV (0.05 keV by default) inside the position plot's range.
        double alarm = api.get("alarmShiftKeV").asDouble();
        assertThat(alarm).isEqualTo(0.05);
        assertThat(((Number) calibPlot.get("ymax")).doubleValue()).isGreaterThan(alarm);
        assertThat(((Number) calibPlot.get("ymin")).doubleValue()).isLessThan(-alarm);
        assertThat(text(driver, "calib-value")).containsPattern("[0-9]+ attempts \\([0-9]+ of the last [0-9]+ applied\\) · newest: ");
        // Read in one script: the card is re-rendered at every refresh, so an element found in one call can be
        // gone (stale) at the next.
        assertThat(js.executeScript("const a = document.querySelector(\"#calib-detail a[href='/api/calibration']\");"
            + " return a && a.textContent;"))
            .isEqualTo("calibration report of this daemon's data (JSON)");
        assertThat(JSON.readTree(d.get("/api/calibration").body()).get("channels").get(0).get("epochs").size()).isPositive();
        // The report of the run going on (started above), linked from the card and from the run list.
        String runLink = (String) js.executeScript("const a = document.querySelector(\"#calib-detail a[href^='/api/calibration?run=']\");"
            + " return a && a.href;");
        assertThat(runLink).isNotNull();
        assertThat(driver.findElements(By.cssSelector("#runs a[href^='/api/calibration?run=']"))).isNotEmpty();
        var runReport = JSON.readTree(d.get(runLink.substring(runLink.indexOf("/api/"))).body());
        assertThat(runReport.get("run").asLong()).isPositive();
        assertThat(runReport.get("dataTimeFromNs").asLong()).isPositive();
        for (var e : runReport.get("channels").get(0).get("epochs")) {
          assertThat(e.get("atNs").asLong()).isGreaterThan(runReport.get("dataTimeFromNs").asLong());
        }
        assertThat(d.get("/api/calibration?run=999").statusCode()).isEqualTo(404);
        assertThat(d.get("/api/calibration?run=x").statusCode()).isEqualTo(400);
        assertThat(d.get("/api/calibration/history?points=0").statusCode()).isEqualTo(400);
        assertThat(d.get("/api/calibration/history?since=yesterday").body()).contains("since must be an integer");
        // The limits take the masks' widths and the energy-gain constraint from the applied epochs, and say so.
        MonitoredDaemon.await("limits with the calibration's line widths", Duration.ofSeconds(60), () -> {
          try {
            return "calibration".equals(JSON.readTree(d.get("/api/limits").body()).path("lineMasks").path("source").asText());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        var limitsDoc = JSON.readTree(d.get("/api/limits").body());
        assertThat(limitsDoc.get("lineMasks").get("detectors").get(0).get("epochs").asInt()).isPositive();
        assertThat(limitsDoc.get("lineMasks").get("detectors").get(0).get("lines").get(0).get("epochAtNs").isNull()).isFalse();
        boolean gainFromCalibration = false;
        for (var n : limitsDoc.get("systematics").get("nuisances")) {
          if (n.get("name").asText().equals("energyGain")) {
            gainFromCalibration = n.get("sigmaFrom").asText().equals("calibration") && n.get("source").asText().startsWith("calibration: ");
          }
        }
        assertThat(gainFromCalibration).as("energyGain constrained by the calibration").isTrue();
        awaitPage(driver, Duration.ofSeconds(60), () -> text(driver, "method-detail").contains("mask widths from calibration"));

        // --- no errors, everything from the daemon ---
        @SuppressWarnings("unchecked")
        List<Object> pageErrors = (List<Object>) js.executeScript("return window.__nudaqErrors");
        assertThat(pageErrors).isEmpty();
        List<String> severe = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
          if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
            severe.add(e.getLevel() + " " + e.getMessage());
          }
        }
        assertThat(severe).as("browser console").isEmpty();
        @SuppressWarnings("unchecked")
        List<Object> origins = (List<Object>) js.executeScript("return window.__nudaqTransfer.origins");
        assertThat(origins).isNotEmpty().allSatisfy(o -> assertThat(o).isEqualTo("http://" + d.monitoring.hostPort()));

        // --- weight and refresh cost, measured by the browser (bytes on the wire, gzip included) ---
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) js.executeScript("return window.__nudaqTransfer");
        long pageBytes = ((Number) t.get("pageBytes")).longValue();
        long refreshBytes = ((Number) t.get("lastRefreshBytes")).longValue();
        String report = "page weight: " + pageBytes + " bytes in " + t.get("pageFiles") + " files\n"
            + "one refresh: " + refreshBytes + " bytes in " + t.get("lastRefreshRequests") + " requests\n";
        // Per document, gzipped as the browser gets it: what each part of a refresh costs (for docs/web-page.md).
        StringBuilder parts = new StringBuilder(report);
        int historyPoints = d.get("/api/limits/history").body().split("\"muLimit\"")[0].split(",").length - 1;
        for (String path : List.of("/api/status", "/api/limits", "/api/limits/history", "/api/limits/history?since=" + Long.MAX_VALUE,
            "/api/spectra?state=on&values=counts", "/api/spectra?state=on", "/api/residual?rebin=20", "/api/nai",
            "/api/calibration/history?points=500", "/api/calibration/history?since=" + Long.MAX_VALUE)) {
          var r = d.http.send(java.net.http.HttpRequest.newBuilder(d.uri(path)).header("Accept-Encoding", "gzip").GET().build(),
              java.net.http.HttpResponse.BodyHandlers.ofByteArray());
          parts.append(path).append(": ").append(r.body().length).append(" bytes gzipped, ")
              .append(d.get(path).body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append(" plain\n");
        }
        parts.append("(history: about ").append(historyPoints).append(" results kept when measured; calibration attempts: ")
            .append(JSON.readTree(d.get("/api/calibration/history").body()).get("channels").get(0).get("attempts").asInt())
            .append(")\n");
        report = parts.toString();
        Files.writeString(shots.resolve("shift-console-transfer.txt"), report);
        System.out.print(report);
        assertThat(pageBytes).as("page weight").isBetween(10_000L, 150_000L);
        assertThat(refreshBytes).as("bytes per refresh").isBetween(1_000L, 60_000L);

        long height = ((Number) js.executeScript("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new Dimension(1400, (int) Math.min(6000, height + 120)));
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(w -> ((Number) js.executeScript(
            "return window.__nudaqTransfer.refreshes")).intValue() >= 3);
        Files.write(shots.resolve("shift-console.png"), driver.getScreenshotAs(OutputType.BYTES));
        for (String plot : List.of("spectra", "residual", "nai", "calib-shift", "calib-fwhm")) {
          Files.write(shots.resolve("shift-console-" + plot + ".png"),
              driver.findElement(By.id(plot)).findElement(By.xpath("..")).getScreenshotAs(OutputType.BYTES));
        }

      } finally {
        driver.quit();
      }
    }
  }

  /** Waits for the page; on timeout fails with what the page says (its status line and errors), not just "timed out". */
  private static void awaitPage(ChromeDriver driver, Duration timeout, java.util.function.BooleanSupplier ready) {
    try {
      new WebDriverWait(driver, timeout).until(w -> ready.getAsBoolean());
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the page did not fill within " + timeout + ": status line '" + text(driver, "updated")
          + "', page errors " + driver.executeScript("return window.__nudaqErrors"), e);
    }
  }

  private static String text(ChromeDriver driver, String id) {
    return driver.findElement(By.id(id)).getText();
  }

  private static double number(String text, String unit) {
    assertThat(text).endsWith(" " + unit);
    return Double.parseDouble(text.substring(0, text.length() - unit.length() - 1));
  }
}
