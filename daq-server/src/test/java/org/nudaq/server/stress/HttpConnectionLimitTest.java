package org.nudaq.server.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.DigitizerConfig;
import org.nudaq.monitor.config.HttpConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.http.MonitoringServer;

/**
 * The HTTP server of the real daemon under connection abuse (issue 13): at most
 * {@code http.maxConnections} connections are held, one more gets a JSON 503 at once and is closed
 * (counted in {@code nudaq_http_connections_refused_total}); an idle connection is closed after
 * {@code http.idleTimeoutSeconds}; a refused control action does not tell the token file's path.
 */
class HttpConnectionLimitTest {
  private static final int MAX = 8;
  /** Long enough for the refusals below to happen while the held connections are still open, on a busy machine. */
  private static final int IDLE_SECONDS = 4;

  @Test
  void connectionsBeyondTheCapGet503AndAreCountedIdleOnesAreClosedAnd401HidesTheTokenPath(@TempDir Path dir) throws Exception {
    int nobody;
    try (ServerSocket s = new ServerSocket(0)) {
      nobody = s.getLocalPort();
    }
    NudaqConfig base = SimulatorToDaemon.gemma1(50, 1);
    BoardConfig b = base.digitizer().boards().get(0);
    Path tokenFile = dir.resolve("secret-place").resolve("control.token");
    NudaqConfig config = base
        .withDigitizer(new DigitizerConfig(List.of(new BoardConfig(b.id(), "127.0.0.1", nobody, b.tickNs(), b.adcBits(),
            b.channels())), 200, 1000, 1000))
        .withHttp(new HttpConfig("127.0.0.1", 0, tokenFile.toString(), MAX, IDLE_SECONDS));
    Daemon daemon = new Daemon(config, dir.resolve("data"), Clock.systemUTC());
    MonitoringServer monitoring = MonitoringServer.start(daemon, Clock.systemUTC());
    daemon.start();
    int port = monitoring.address().getPort();
    List<Socket> held = new ArrayList<>();
    try {
      long opened = System.nanoTime();
      for (int i = 0; i < MAX; i++) {
        held.add(connect(port));
      }
      // The server must hold all of them before the next one (its event loop accepts asynchronously): wait for its
      // own count, not a fixed time (on a loaded machine 200 ms may not be enough, and an extra one would be held).
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (monitoring.meters().registry().get("nudaq.http.connections.open").gauge().value() < MAX) {
        assertThat(System.nanoTime()).as("the server holds the %d connections", MAX).isLessThan(deadline);
        Thread.sleep(10);
      }
      int refused = 0;
      for (int i = 0; i < 5; i++) {
        try (Socket extra = connect(port)) {
          String answer = readAll(extra, 5_000);
          assertThat(answer).as("connection %d beyond the cap", i + 1).startsWith("HTTP/1.1 503")
              .contains("http.maxConnections");
          refused++;
        }
      }
      assertThat(refused).isEqualTo(5);

      // Idle connections are closed after http.idleTimeoutSeconds: the held ones go, and the server serves again.
      for (Socket s : held) {
        assertThat(readAll(s, 15_000)).as("an idle connection is closed by the server").isEmpty();
      }
      long closedMs = (System.nanoTime() - opened) / 1_000_000;
      assertThat(closedMs).as("idle connections closed after %d s", IDLE_SECONDS).isBetween(IDLE_SECONDS * 1000L - 100, 15_000L);

      String metrics = request(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(metrics).startsWith("HTTP/1.1 200");
      assertThat(sample(metrics, "nudaq_http_connections_refused_total")).isEqualTo(5.0);
      assertThat(sample(metrics, "nudaq_http_connections_max")).isEqualTo(MAX);

      String denied = request(port, "POST /api/control/run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 18\r\nConnection: close\r\n\r\n{\"action\":\"start\"}");
      assertThat(denied).startsWith("HTTP/1.1 401").contains("Authorization: Bearer")
          .doesNotContain(tokenFile.toString()).doesNotContain("secret-place").doesNotContain("control.token");
      System.out.printf("http: %d refused beyond %d connections; idle ones closed after %d ms; 401 says: %s%n", refused, MAX,
          closedMs, denied.substring(denied.indexOf("{")));
    } finally {
      for (Socket s : held) {
        s.close();
      }
      monitoring.close();
      daemon.close();
    }
  }

  private static Socket connect(int port) throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), port);
  }

  private static String request(int port, String raw) throws IOException {
    try (Socket s = connect(port)) {
      s.getOutputStream().write(raw.getBytes(StandardCharsets.UTF_8));
      return readAll(s, 10_000);
    }
  }

  /** Everything the server sends until it closes the connection (fails if it does not within the timeout). */
  private static String readAll(Socket s, int timeoutMs) throws IOException {
    s.setSoTimeout(timeoutMs);
    InputStream in = s.getInputStream();
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within " + timeoutMs + " ms", e);
    }
  }

  private static double sample(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(metrics);
    assertThat(m.find()).as("%s in /metrics", name).isTrue();
    return Double.parseDouble(m.group(2));
  }
}
