package org.nudaq.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in Debian's headless Chromium against a daemon fed by the simulator: it loads without
 * console errors or failed requests, every plot is drawn by uPlot from non-empty data, and a
 * screenshot is written to target/screenshots/web-page.png for humans to look at.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebPageBrowserTest {

  @Test
  void pageShowsStatusSpectraResidualAndLimitsWithoutErrors(@TempDir Path dir) throws Exception {
    Tools.require("/usr/bin/chromium");
    Tools.require("/usr/bin/chromedriver");
    try (MonitoredDaemon d = MonitoredDaemon.start(dir, "digitizer", true)) {
      d.awaitLimits(3, Duration.ofSeconds(40));
      System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
      ChromeOptions options = new ChromeOptions();
      options.setBinary("/usr/bin/chromium");
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
          "--window-size=1400,1500", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium")));
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      ChromeDriver driver = new ChromeDriver(options);
      try {
        driver.get(d.uri("/").toString());
        JavascriptExecutor js = driver;
        // Four uPlot charts, each with data: poll the page's own state, no sleeps.
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(w -> {
          Object n = js.executeScript("return document.querySelectorAll('.uplot canvas').length");
          Object history = js.executeScript("const h = window.__nudaq.history; return h ? h.time.length : 0");
          return ((Number) n).intValue() >= 4 && ((Number) history).intValue() >= 2;
        });
        long onPoints = ((Number) js.executeScript(
            "return window.__nudaq.spectra.on.filter(v => v !== null && v > 0).length")).longValue();
        long offPoints = ((Number) js.executeScript(
            "return window.__nudaq.spectra.off.filter(v => v !== null && v > 0).length")).longValue();
        long residualPoints = ((Number) js.executeScript(
            "return window.__nudaq.residual.residual.filter(v => v !== null).length")).longValue();
        assertThat(onPoints).as("ON spectrum bins with counts").isGreaterThan(50);
        assertThat(offPoints).as("OFF spectrum bins with counts").isGreaterThan(50);
        assertThat(residualPoints).as("residual points (2.8-55 keV in 1 keV groups)").isEqualTo(53);
        assertThat(driver.findElement(By.id("reactor")).getText()).matches("reactor (ON|OFF) \\(digitizer\\)");
        assertThat(driver.findElement(By.id("links")).getText()).contains("board 0 up");
        assertThat(driver.findElement(By.id("mu")).getText()).contains("×10⁻¹¹ μB");
        assertThat(driver.findElement(By.id("live")).getText()).matches("[0-9.]+ h / [0-9.]+ h");
        Path shots = Files.createDirectories(Path.of("target/screenshots"));
        Files.write(shots.resolve("web-page.png"), driver.getScreenshotAs(OutputType.BYTES));
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
        // Every resource came from the daemon itself: no CDN, no external request.
        @SuppressWarnings("unchecked")
        List<Object> origins = (List<Object>) js.executeScript(
            "return performance.getEntriesByType('resource').map(r => new URL(r.name).origin)");
        assertThat(origins).isNotEmpty().allSatisfy(o -> assertThat(o).isEqualTo("http://" + d.monitoring.hostPort()));
      } finally {
        driver.quit();
      }
    }
  }
}
