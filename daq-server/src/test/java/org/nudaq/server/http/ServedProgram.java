package org.nudaq.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * An external program serving HTTP on 127.0.0.1 for a monitoring test (Prometheus, Alertmanager),
 * with the requests the tests make of it. Exists because the tests need a port the program can bind
 * before it starts, and a port found free is only free until someone else takes it (on a shared CI
 * machine, a parallel test or another program can): when the program exits before it is ready
 * because its port was taken, it is started again on another port, up to {@link #ATTEMPTS} times.
 *
 * <p>Thread-safety: the request methods may be called from any thread; start and close from one.
 */
final class ServedProgram implements AutoCloseable {
  static final int ATTEMPTS = 5;

  private final String name;
  private final Process process;
  private final String url;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private ServedProgram(String name, Process process, String url) {
    this.name = name;
    this.process = process;
    this.url = url;
  }

  /**
   * Starts the command made for a port (its output appended to {@code log}) and waits, up to {@code
   * timeout}, until GET {@code /-/ready} answers 200.
   */
  static ServedProgram start(String name, Path log, Duration timeout, IntFunction<List<String>> command)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      Process p = new ProcessBuilder(command.apply(port)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      ServedProgram s = new ServedProgram(name, p, "http://127.0.0.1:" + port);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (p.isAlive() && !s.ok("/-/ready")) {
        if (System.nanoTime() > deadline) {
          s.close();
          throw new AssertionError("timed out after " + timeout + " waiting for " + name + " to be ready (log " + log + ")");
        }
        LockSupport.parkNanos(50_000_000L);
      }
      if (p.isAlive()) {
        return s;
      }
      String output = Files.readString(log);
      if (attempt == ATTEMPTS || !output.contains("address already in use")) {
        throw new AssertionError(name + " exited with status " + p.exitValue() + " before it was ready (log " + log + ")");
      }
      // The port was taken between finding it free and the program binding it: another port.
    }
  }

  /**
   * The real Prometheus (Debian package) in {@code dir}: scraping job {@code nudaq} at {@code target}
   * (host:port) and evaluating {@code rules} (the text of a rule file) every second, sending alerts to
   * {@code alertmanager} (host:port) unless it is null; ready within 30 s.
   */
  static ServedProgram prometheus(Path dir, String rules, String target, String alertmanager)
      throws IOException, InterruptedException {
    Path binary = Tools.require("/usr/bin/prometheus");
    Files.writeString(dir.resolve("alerts.yml"), rules);
    String alerting = alertmanager == null ? "" : """
        alerting:
          alertmanagers:
            - static_configs:
                - targets: ['%s']
        """.formatted(alertmanager);
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files: [alerts.yml]
        %sscrape_configs:
          - job_name: nudaq
            static_configs:
              - targets: ['%s']
        """.formatted(alerting, target));
    return start("Prometheus", dir.resolve("prometheus.log"), Duration.ofSeconds(30),
        port -> List.of(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Base URL, {@code http://127.0.0.1:port}. */
  String url() {
    return url;
  }

  /** host:port, as a Prometheus target. */
  String hostPort() {
    return url.substring("http://".length());
  }

  /** Whether GET {@code path} answers 200 (false while the program does not answer at all). */
  boolean ok(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url + path)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** GET {@code pathAndQuery} as JSON; anything but 200 fails the test. */
  JsonNode get(String pathAndQuery) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + pathAndQuery)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError(name + ": GET " + pathAndQuery + ": HTTP " + r.statusCode() + " " + r.body());
      }
      return json.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(name + ": GET " + pathAndQuery + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Prometheus: the whole answer to an instant query (status and data), whatever its status. */
  JsonNode query(String promql) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query="
          + URLEncoder.encode(promql, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
      return json.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(name + ": query " + promql + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Prometheus: the result vector of an instant query; a query that does not succeed fails the test. */
  JsonNode result(String promql) {
    JsonNode r = query(promql);
    if (!"success".equals(r.path("status").asText())) {
      throw new AssertionError(name + ": query " + promql + " failed: " + r);
    }
    return r.path("data").path("result");
  }

  /** Prometheus: rule-group evaluations so far, summed over the groups (from its own /metrics). */
  long ruleEvaluations() {
    try {
      String scrape = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body();
      long n = 0;
      for (String line : scrape.split("\n")) {
        if (line.startsWith("prometheus_rule_group_iterations_total{")) {
          n += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return n;
    } catch (IOException e) {
      throw new AssertionError(name + ": GET /metrics failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Stops the program (SIGTERM, then SIGKILL after 10 s). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
