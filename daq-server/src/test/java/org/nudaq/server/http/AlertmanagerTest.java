package org.nudaq.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * config/alertmanager and the runbook annotations of config/prometheus against the real programs
 * (Debian packages prometheus-alertmanager and prometheus): amtool accepts the configuration and routes
 * by severity; a real Prometheus scraping a daemon fed by the simulator sends NudaqLinkDown, when the
 * board link is lost, through a real Alertmanager to a webhook receiver served by this test; and
 * NudaqNoEvents of the same daemon, firing at the same time, is inhibited and never delivered. The test
 * copies of the files differ from config/ only in what makes this fast: {@code for:} and the no-events
 * window shortened, group waits of 1 s, the receivers' URLs pointing at the test's webhook, no e-mail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AlertmanagerTest {
  private static final Path CONFIG = Path.of("../config");
  private static final Path RUNBOOK = Path.of("../docs/runbook.md");
  private static final Path AM_CONFIG = CONFIG.resolve("alertmanager/alertmanager.yml");
  private final ObjectMapper json = new ObjectMapper();
  /** What the webhook received: the receiver (last path segment) and the notification body. */
  private final List<Map.Entry<String, JsonNode>> delivered = new CopyOnWriteArrayList<>();
  private MonitoredDaemon d;
  private HttpServer webhook;
  private ServedProgram alertmanager;
  private ServedProgram prometheus;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path amBinary = Tools.require("/usr/bin/prometheus-alertmanager");
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext("/", exchange -> {
      try {
        String path = exchange.getRequestURI().getPath();
        delivered.add(Map.entry(path.substring(path.lastIndexOf('/') + 1), json.readTree(exchange.getRequestBody())));
        exchange.sendResponseHeaders(200, -1);
      } finally {
        exchange.close();
      }
    });
    webhook.start();
    String webhookUrl = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/test";

    d = MonitoredDaemon.start(dir, "digitizer", true);
    // Events flow before the first scrape: the test's 10 s no-events window must not see the start-up.
    d.awaitLimits(1, Duration.ofSeconds(40));
    Files.writeString(dir.resolve("alertmanager.yml"), testAlertmanagerConfig(webhookUrl));
    alertmanager = ServedProgram.start("Alertmanager", dir.resolve("alertmanager.log"), Duration.ofSeconds(30),
        port -> List.of(amBinary.toString(), "--config.file=" + dir.resolve("alertmanager.yml"),
            "--storage.path=" + dir.resolve("am"), "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="));

    String rules = Files.readString(CONFIG.resolve("prometheus/alerts.yml"));
    String testRules = rules
        .replace("expr: nudaq_link_up == 0\n        for: 1m", "expr: nudaq_link_up == 0\n        for: 0s")
        .replace("expr: sum by (instance) (increase(nudaq_events_received_total[10m])) == 0\n        for: 5m",
            // for: 5 s, because the daemon publishes its counters once a second: the first two scrapes may see
            // the same values (an increase of 0 over the only two samples of the window).
            "expr: sum by (instance) (increase(nudaq_events_received_total[10s])) == 0\n        for: 5s");
    assertThat(testRules).as("the test copy shortens NudaqLinkDown and NudaqNoEvents")
        .contains("nudaq_link_up == 0\n        for: 0s", "[10s])) == 0\n        for: 5s");
    prometheus = ServedProgram.prometheus(dir, testRules, d.monitoring.hostPort(), alertmanager.hostPort());
    MonitoredDaemon.await("a successful scrape of the daemon", Duration.ofSeconds(30),
        () -> !prometheus.result("up{job=\"nudaq\"} == 1").isEmpty());
  }

  @AfterAll
  void stop() throws InterruptedException {
    for (ServedProgram p : new ServedProgram[] {prometheus, alertmanager}) {
      if (p != null) {
        p.close();
      }
    }
    if (webhook != null) {
      webhook.stop(0);
    }
    if (d != null) {
      d.close();
    }
  }

  @Test
  @Order(1)
  void amtoolAcceptsTheConfigurationAndRoutesBySeverity() throws Exception {
    Path amtool = Tools.require("/usr/bin/amtool");
    Tools.Result check = Tools.run(Duration.ofSeconds(20), AM_CONFIG, amtool.toString(), "check-config");
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS");
    assertThat(route(amtool, "severity=critical", "alertname=NudaqLinkDown")).isEqualTo("shift-critical");
    assertThat(route(amtool, "severity=warning", "alertname=NudaqPipelineLag")).isEqualTo("shift-warning");
    JsonNode am = new YAMLMapper().readTree(AM_CONFIG.toFile());
    for (JsonNode r : am.path("receivers")) {
      if (r.path("name").asText().equals("shift-critical")) {
        assertThat(r.has("webhook_configs") && r.has("email_configs")).as("critical goes to a webhook and by e-mail").isTrue();
      }
    }
  }

  @Test
  @Order(2)
  void everyAlertHasItsRunbookAndEveryInhibitionNamesExistingAlerts() throws Exception {
    JsonNode rules = new YAMLMapper().readTree(CONFIG.resolve("prometheus/alerts.yml").toFile());
    String runbook = Files.readString(RUNBOOK);
    Set<String> alerts = new LinkedHashSet<>();
    for (JsonNode rule : rules.path("groups").get(0).path("rules")) {
      String name = rule.path("alert").asText();
      alerts.add(name);
      JsonNode a = rule.path("annotations");
      assertThat(a.path("summary").asText()).as(name + " summary").isNotBlank();
      assertThat(a.path("description").asText()).as(name + " description").hasSizeGreaterThan(40);
      assertThat(a.path("runbook_url").asText()).as(name + " runbook_url")
          .isEqualTo("docs/runbook.md#" + name.toLowerCase());
      // A Markdown heading "### NudaqLinkDown" has the anchor #nudaqlinkdown.
      assertThat(runbook).as("docs/runbook.md has a section for " + name).containsPattern("(?m)^#+ " + name + "$");
      assertThat(rule.path("labels").path("severity").asText()).as(name + " severity").isIn("critical", "warning");
    }
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(14);
    // Inhibitions match alert names: a renamed alert must not leave one silently matching nothing.
    String am = Files.readString(AM_CONFIG);
    Matcher m = Pattern.compile("Nudaq[A-Za-z]+").matcher(am.substring(am.indexOf("inhibit_rules:")));
    int names = 0;
    while (m.find()) {
      assertThat(alerts).as("alert named in an inhibit rule").contains(m.group());
      names++;
    }
    assertThat(names).isGreaterThan(10);
  }

  @Test
  @Order(3)
  void linkDownReachesTheWebhookAndInhibitsNoEventsOfTheSameDaemon() {
    MonitoredDaemon.await("events flowing", Duration.ofSeconds(30),
        () -> !prometheus.result("sum(increase(nudaq_events_received_total[10s])) > 0").isEmpty());
    assertThat(prometheus.result("ALERTS{alertstate=\"firing\",alertname=~\"NudaqLinkDown|NudaqNoEvents\"}")).as("firing before the link is lost").isEmpty();
    assertThat(delivered).as("nothing is wrong yet: nothing delivered").isEmpty();
    d.sim.close();

    MonitoredDaemon.await("NudaqLinkDown delivered to the webhook", Duration.ofSeconds(30),
        () -> notifications("NudaqLinkDown").size() > 0);
    Map.Entry<String, JsonNode> n = notifications("NudaqLinkDown").get(0);
    assertThat(n.getKey()).as("receiver of a critical alert").isEqualTo("shift-critical");
    assertThat(n.getValue().path("receiver").asText()).isEqualTo("shift-critical");
    assertThat(n.getValue().path("status").asText()).isEqualTo("firing");
    JsonNode alert = n.getValue().path("alerts").get(0);
    JsonNode labels = alert.path("labels");
    assertThat(labels.path("alertname").asText()).isEqualTo("NudaqLinkDown");
    assertThat(labels.path("severity").asText()).isEqualTo("critical");
    assertThat(labels.path("board").asText()).isEqualTo("0");
    assertThat(labels.path("job").asText()).isEqualTo("nudaq");
    assertThat(labels.path("instance").asText()).isEqualTo(d.monitoring.hostPort());
    assertThat(alert.path("annotations").path("runbook_url").asText()).isEqualTo("docs/runbook.md#nudaqlinkdown");
    assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("Digitizer board 0 is not connected");

    // No events either (10 s window and 5 s for: in the test copy): Prometheus fires it, Alertmanager holds it
    // inhibited by the link down of the same instance, and the crew is not told twice.
    MonitoredDaemon.await("NudaqNoEvents in Alertmanager", Duration.ofSeconds(30),
        () -> alertmanagerAlerts("NudaqNoEvents").size() > 0);
    JsonNode noEvents = alertmanagerAlerts("NudaqNoEvents").get(0);
    assertThat(noEvents.path("labels").path("instance").asText()).isEqualTo(d.monitoring.hostPort());
    assertThat(noEvents.path("status").path("state").asText()).as(noEvents.toString()).isEqualTo("suppressed");
    assertThat(noEvents.path("status").path("inhibitedBy")).as(noEvents.toString()).isNotEmpty();
    // Group wait is 1 s in the test copy: an alert not inhibited would be delivered within about 2 s.
    LockSupport.parkNanos(Duration.ofSeconds(4).toNanos());
    assertThat(notifications("NudaqNoEvents")).as("inhibited NudaqNoEvents delivered").isEmpty();
    assertThat(alertmanagerAlerts("NudaqNoEvents").get(0).path("status").path("state").asText()).isEqualTo("suppressed");
  }

  /** The real configuration with the receivers pointing at the test's webhook, no e-mail, 1 s group waits. */
  private String testAlertmanagerConfig(String webhookUrl) throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode am = (ObjectNode) yaml.readTree(AM_CONFIG.toFile());
    List<ObjectNode> routes = new ArrayList<>();
    routes.add((ObjectNode) am.path("route"));
    am.path("route").path("routes").forEach(r -> routes.add((ObjectNode) r));
    for (ObjectNode r : routes) {
      r.put("group_wait", "1s");
      r.put("group_interval", "1s");
    }
    int webhooks = 0;
    for (JsonNode r : am.path("receivers")) {
      ObjectNode receiver = (ObjectNode) r;
      receiver.remove("email_configs");
      for (JsonNode w : receiver.path("webhook_configs")) {
        ((ObjectNode) w).put("url", webhookUrl + "/" + receiver.path("name").asText());
        webhooks++;
      }
    }
    assertThat(webhooks).as("webhook receivers in " + AM_CONFIG).isGreaterThanOrEqualTo(2);
    return yaml.writeValueAsString(am);
  }

  private static String route(Path amtool, String... labels) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(amtool.toString(), "config", "routes", "test", "--config.file=" + AM_CONFIG));
    cmd.addAll(List.of(labels));
    Tools.Result r = Tools.run(Duration.ofSeconds(20), new byte[0], cmd);
    assertThat(r.exitCode()).as(r.output()).isZero();
    // The receiver is the last line (amtool may warn first, e.g. that --config.file overrides its URL).
    String[] lines = r.output().strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  private List<Map.Entry<String, JsonNode>> notifications(String alertname) {
    List<Map.Entry<String, JsonNode>> found = new ArrayList<>();
    for (Map.Entry<String, JsonNode> n : delivered) {
      for (JsonNode a : n.getValue().path("alerts")) {
        if (a.path("labels").path("alertname").asText().equals(alertname)) {
          found.add(n);
          break;
        }
      }
    }
    return found;
  }

  private List<JsonNode> alertmanagerAlerts(String alertname) {
    JsonNode all = alertmanager.get("/api/v2/alerts?filter="
        + URLEncoder.encode("alertname=\"" + alertname + "\"", StandardCharsets.UTF_8));
    List<JsonNode> found = new ArrayList<>();
    ((ArrayNode) all).forEach(found::add);
    return found;
  }
}
