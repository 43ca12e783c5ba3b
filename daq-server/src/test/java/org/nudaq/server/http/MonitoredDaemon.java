package org.nudaq.server.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.DigitizerConfig;
import org.nudaq.monitor.config.HttpConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.sim.server.FaultSpec;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;

/**
 * A real daemon with its monitoring server on a free port, fed by the real simulator over TCP: the
 * GEMMA-I profile with a short reactor schedule (2 days ON, 1 day OFF), quiet NaI singles and muons,
 * limits every second and the simulator 100 000× faster than real time, so ON and OFF spectra and
 * limits exist within seconds. Everything lives in a temp directory.
 */
final class MonitoredDaemon implements AutoCloseable {
  static final double ACCEL = 100_000;

  final NudaqConfig config;
  final Simulation sim;
  final Daemon daemon;
  final MonitoringServer monitoring;
  final Path dir;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private MonitoredDaemon(NudaqConfig config, Simulation sim, Daemon daemon, MonitoringServer monitoring, Path dir) {
    this.config = config;
    this.sim = sim;
    this.daemon = daemon;
    this.monitoring = monitoring;
    this.dir = dir;
  }

  /** The test profile's YAML (GEMMA-I with the changes above) and a reactor-state source. */
  static NudaqConfig testConfig(String reactorStateSource) throws IOException {
    return new ConfigLoader().parse("monitoring-test.yaml", testYaml(reactorStateSource));
  }

  /** The test profile's YAML text (see {@link #testConfig}). */
  static String testYaml(String reactorStateSource) throws IOException {
    String yaml = Files.readString(Path.of("../config/gemma-1.yaml"))
        .replace("updateIntervalSeconds: 10", "updateIntervalSeconds: 1")
        .replace("    - {state: on, days: 330}\n    - {state: off, days: 30}", "    - {state: on, days: 2}\n    - {state: off, days: 1}")
        .replace("naiSinglesHz: 50", "naiSinglesHz: 0.2")
        .replace("muonHz: 2", "muonHz: 0.01")
        .replace("burstEveryDays: 7", "burstEveryDays: 0")
        .replace("reactorStateSource: digitizer", "reactorStateSource: " + reactorStateSource);
    if (!yaml.contains("days: 2}") || !yaml.contains("reactorStateSource: " + reactorStateSource)) {
      throw new IllegalStateException("config/gemma-1.yaml changed: the test profile's replacements no longer apply");
    }
    return yaml;
  }

  /** Starts simulator, daemon and monitoring; with {@code simulate} false the board port is closed. */
  static MonitoredDaemon start(Path dir, String reactorStateSource, boolean simulate) throws IOException {
    return start(dir, testConfig(reactorStateSource), simulate);
  }

  /** As above with another configuration (the test profile changed further). */
  static MonitoredDaemon start(Path dir, NudaqConfig base, boolean simulate) throws IOException {
    Simulation sim = null;
    int port;
    if (simulate) {
      sim = new Simulation(base, new Simulation.Settings(new Pacing(ACCEL), FaultSpec.parse(""), 10_000,
          List.of(new InetSocketAddress("127.0.0.1", 0)), "monitoring-test.yaml"));
      sim.start();
      port = sim.boundAddress(0).getPort();
    } else {
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort(); // closed again: nobody listens there
      }
    }
    List<BoardConfig> boards = new ArrayList<>();
    for (BoardConfig b : base.digitizer().boards()) {
      boards.add(new BoardConfig(b.id(), "127.0.0.1", port, b.tickNs(), b.adcBits(), b.channels()));
    }
    DigitizerConfig d = base.digitizer();
    NudaqConfig config = base.withDigitizer(new DigitizerConfig(boards, 50, 200, d.connectTimeoutMs()))
        .withHttp(new HttpConfig("127.0.0.1", 0, dir.resolve("control.token").toString()));
    Daemon daemon = new Daemon(config, dir.resolve("data"), Clock.systemUTC());
    MonitoringServer monitoring = MonitoringServer.start(daemon, Clock.systemUTC());
    daemon.start();
    return new MonitoredDaemon(config, sim, daemon, monitoring, dir);
  }

  URI uri(String path) {
    return URI.create("http://" + monitoring.hostPort() + path);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body, String bearer) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String token() throws IOException {
    return Files.readString(monitoring.token().file()).trim();
  }

  /** Polls (every 50 ms) until the condition holds; fails with the description after the timeout. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(50_000_000L);
    }
  }

  /** Waits until the daemon has limits and the history holds at least {@code n} results. */
  void awaitLimits(int n, Duration timeout) {
    await(n + " limit results", timeout, () -> daemon.ingest().latestLimits() != null && monitoring.history().results().size() >= n);
  }

  @Override
  public void close() {
    monitoring.close();
    if (sim != null) {
      sim.close();
    }
    daemon.close();
  }
}
