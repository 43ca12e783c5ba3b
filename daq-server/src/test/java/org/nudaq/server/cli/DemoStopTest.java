package org.nudaq.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on {@code ./nudaq demo} while data are in flight: the launcher stops the simulator first
 * (its boards send what they hold and GOODBYE), lets the daemon read and process everything, then
 * stops it. Checked through the real launcher, simulator and daemon: exit status 0, both summary
 * paths printed, every event the simulator generated was sent and every event sent was counted by
 * the daemon, no frame lost. Also: the demo starts with a fresh data directory (the previous demo's
 * journal is gone) and keeps its control token under {@code --data}.
 */
class DemoStopTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void ctrlCStopsTheSimulatorFirstAndLosesNothing(@TempDir Path dir) throws Exception {
    int simPort = freePort();
    int httpPort = freePort();
    String gemma = Files.readString(ROOT.resolve("config/gemma-1.yaml"));
    assertThat(gemma).contains("port: 9401", "port: 9470");
    Path cfg = Files.writeString(dir.resolve("demo.yaml"),
        gemma.replace("port: 9401", "port: " + simPort).replace("port: 9470", "port: " + httpPort));
    // What a previous demo left: the new one starts without it.
    Path data = dir.resolve("demo-data");
    Files.createDirectories(data.resolve("journal"));
    Files.writeString(data.resolve(".nudaq-demo"), "");
    Path stale = Files.writeString(data.resolve("journal/20260101F.cq4"), "previous demo's journal");

    Path out = dir.resolve("demo.out");
    // env --default-signal=INT: SIGINT reaches the launcher's trap even if this JVM was started with it ignored.
    ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=INT", ROOT.resolve("nudaq").toString(), "demo",
        "--config", cfg.toString(), "--data", data.toString(), "--accel", "3000")
        .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("NUDAQ_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("NUDAQ_JAVA_OPTS", "-Xmx384m");
    Process demo = pb.start();
    try {
      long received = awaitEventsFlowing(httpPort, demo);
      assertThat(received).as("events reached the daemon before Ctrl-C").isPositive();
      assertThat(stale).as("the previous demo's journal was removed").doesNotExist();
      assertThat(data.resolve("control.token")).as("the control token is under --data").exists();
      new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).inheritIO().start().waitFor();
      assertThat(demo.waitFor(120, TimeUnit.SECONDS)).as("the demo stops after Ctrl-C").isTrue();
    } finally {
      if (demo.isAlive()) {
        demo.descendants().forEach(ProcessHandle::destroyForcibly);
        demo.destroyForcibly();
      }
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(demo.exitValue()).as("exit status; output:%n%s", text).isZero();
    assertThat(text).contains("daemon run summary: " + data + "/run-summary.json",
        "simulator ground truth: " + data + "/sim-truth.json");
    assertThat(text.indexOf("stopping the simulator")).as("the simulator is stopped before the daemon")
        .isPositive().isLessThan(text.indexOf("stopping the daemon"));

    ObjectMapper json = new ObjectMapper();
    JsonNode summary = json.readTree(data.resolve("run-summary.json").toFile());
    JsonNode truth = json.readTree(data.resolve("sim-truth.json").toFile());
    long sent = 0;
    long unsent = 0;
    for (JsonNode b : truth.path("boards")) {
      for (JsonNode c : b.path("channels")) {
        sent += c.path("sentEvents").asLong();
        unsent += c.path("unsentEvents").asLong();
      }
    }
    long counted = 0;
    for (JsonNode c : summary.path("accounting").path("channels")) {
      counted += c.path("received").asLong();
    }
    assertThat(unsent).as("the simulator sent everything it generated before it stopped").isZero();
    assertThat(counted).as("the daemon counted every event the simulator sent").isEqualTo(sent).isPositive();
    assertThat(summary.path("accounting").path("lostFrames").asLong()).isZero();
    assertThat(summary.path("accounting").path("balances").asBoolean()).isTrue();
    for (JsonNode l : summary.path("links")) {
      assertThat(l.path("framesLost").asLong()).isZero();
    }
    assertThat(summary.path("accounting").path("gated").has("data_quality")).as("reason names as in the metrics").isTrue();
  }

  /** Waits until the daemon's /api/status reports received events; returns their number. */
  private static long awaitEventsFlowing(int httpPort, Process demo) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/status"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline && demo.isAlive()) {
      try {
        HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
        long received = new ObjectMapper().readTree(r.body()).path("totals").path("received").asLong();
        if (r.statusCode() == 200 && received > 100_000) {
          return received;
        }
      } catch (java.io.IOException notYet) {
        // the daemon is still starting
      }
      Thread.sleep(200);
    }
    return 0;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
