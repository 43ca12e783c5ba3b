package org.nudaq.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/prometheus and config/grafana against a real Prometheus (Debian package) scraping a daemon
 * fed by the simulator every second: promtool accepts the files, every query of the dashboard returns
 * data, every alert expression evaluates over existing series, and losing the board link fires
 * NudaqLinkDown (its {@code for:} shortened to 0 s in the test copy of the rules).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PrometheusGrafanaTest {
  private static final Path CONFIG = Path.of("../config");
  private final ObjectMapper json = new ObjectMapper();
  private MonitoredDaemon d;
  private ServedProgram prometheus;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    d = MonitoredDaemon.start(dir, "digitizer", true);
    String rules = Files.readString(CONFIG.resolve("prometheus/alerts.yml"));
    String testRules = rules.replace("expr: nudaq_link_up == 0\n        for: 1m", "expr: nudaq_link_up == 0\n        for: 0s");
    assertThat(testRules).as("the test copy shortens NudaqLinkDown's for:").isNotEqualTo(rules);
    prometheus = ServedProgram.prometheus(dir, testRules, d.monitoring.hostPort(), null);
    MonitoredDaemon.await("a successful scrape of the daemon", Duration.ofSeconds(30),
        () -> !prometheus.result("up{job=\"nudaq\"} == 1").isEmpty());
    d.awaitLimits(1, Duration.ofSeconds(40));
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (prometheus != null) {
      prometheus.close();
    }
    if (d != null) {
      d.close();
    }
  }

  @Test
  @Order(1)
  void promtoolAcceptsTheConfigurationAndTheRules() throws Exception {
    Path promtool = Tools.require("/usr/bin/promtool");
    Tools.Result config = Tools.run(Duration.ofSeconds(20), CONFIG.resolve("prometheus/prometheus.yml"), promtool.toString(),
        "check", "config");
    assertThat(config.exitCode()).as(config.output()).isZero();
    Tools.Result rules = Tools.run(Duration.ofSeconds(20), CONFIG.resolve("prometheus/alerts.yml"), promtool.toString(),
        "check", "rules");
    assertThat(rules.exitCode()).as(rules.output()).isZero();
    assertThat(rules.output()).contains("SUCCESS");
  }

  @Test
  @Order(2)
  void grafanaProvisioningPointsAtTheDashboardAndTheDatasourceItUses() throws Exception {
    YAMLMapper yaml = new YAMLMapper();
    JsonNode ds = yaml.readTree(CONFIG.resolve("grafana/provisioning/datasources/prometheus.yml").toFile());
    String uid = ds.path("datasources").get(0).path("uid").asText();
    assertThat(ds.path("datasources").get(0).path("type").asText()).isEqualTo("prometheus");
    JsonNode providers = yaml.readTree(CONFIG.resolve("grafana/provisioning/dashboards/nudaq.yml").toFile());
    assertThat(providers.path("providers").get(0).path("type").asText()).isEqualTo("file");
    JsonNode dash = dashboard();
    assertThat(dash.path("uid").asText()).isEqualTo("nudaq");
    for (JsonNode p : dash.path("panels")) {
      if (!p.path("type").asText().equals("row")) {
        assertThat(p.path("datasource").path("uid").asText()).as(p.path("title").asText()).isEqualTo(uid);
      }
    }
    List<String> rows = new ArrayList<>();
    dash.path("panels").forEach(p -> {
      if (p.path("type").asText().equals("row")) {
        rows.add(p.path("title").asText());
      }
    });
    assertThat(rows).containsExactly("Status", "Veto and gates", "Spectra summaries", "Limits");
  }

  @Test
  @Order(3)
  void everyDashboardQueryReturnsData() throws Exception {
    List<String> exprs = new ArrayList<>();
    for (JsonNode p : dashboard().path("panels")) {
      for (JsonNode t : p.path("targets")) {
        exprs.add(t.path("expr").asText());
      }
    }
    assertThat(exprs).hasSizeGreaterThan(25);
    for (String e : exprs) {
      // rate() needs two scrapes in its window, the limits a first computation: poll, do not sleep.
      MonitoredDaemon.await("data for the dashboard query " + e, Duration.ofSeconds(30), () -> hasFiniteValue(prometheus.result(e)));
    }
  }

  @Test
  @Order(4)
  void everyAlertExpressionEvaluatesOverExistingSeries() throws Exception {
    JsonNode rules = new YAMLMapper().readTree(CONFIG.resolve("prometheus/alerts.yml").toFile());
    Set<String> names = new LinkedHashSet<>();
    int n = 0;
    for (JsonNode rule : rules.path("groups").get(0).path("rules")) {
      String expr = rule.path("expr").asText();
      JsonNode r = prometheus.query(expr);
      assertThat(r.path("status").asText()).as(rule.path("alert").asText() + ": " + r).isEqualTo("success");
      Matcher m = Pattern.compile("\\b(nudaq_[a-z0-9_]+|up)\\b").matcher(expr);
      while (m.find()) {
        names.add(m.group(1));
      }
      n++;
    }
    assertThat(n).isGreaterThanOrEqualTo(6);
    for (String name : names) {
      assertThat(prometheus.result("count(" + name + ")")).as("series " + name + " used by an alert").isNotEmpty();
    }
    // With data flowing nothing is wrong: no alert fires.
    assertThat(prometheus.result("ALERTS{alertstate=\"firing\",alertname=~\"NudaqLinkDown|NudaqDaemonDown|NudaqNoEvents\"}")).isEmpty();
  }

  @Test
  @Order(5)
  void losingTheBoardLinkFiresTheLinkDownAlert() {
    d.sim.close();
    MonitoredDaemon.await("nudaq_link_up 0 after the simulator stopped", Duration.ofSeconds(30),
        () -> !d.daemon.links().get(0).up());
    MonitoredDaemon.await("NudaqLinkDown firing", Duration.ofSeconds(30),
        () -> !prometheus.result("ALERTS{alertname=\"NudaqLinkDown\",alertstate=\"firing\",board=\"0\"}").isEmpty());
  }

  private JsonNode dashboard() throws IOException {
    return json.readTree(CONFIG.resolve("grafana/dashboards/nudaq.json").toFile());
  }

  private static boolean hasFiniteValue(JsonNode result) {
    for (JsonNode series : result) {
      String v = series.path("value").get(1).asText();
      if (!v.equals("NaN") && !v.contains("Inf")) {
        return true;
      }
    }
    return false;
  }
}
