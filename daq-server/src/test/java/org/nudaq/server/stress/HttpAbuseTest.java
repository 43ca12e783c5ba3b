package org.nudaq.server.stress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.DigitizerConfig;
import org.nudaq.monitor.config.HttpConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.http.MonitoringServer;

/**
 * Abuse of the daemon's real HTTP server (a running {@link Daemon} with its {@link MonitoringServer}
 * on a free port, reactor state from the control API so that a control request could change it),
 * over raw sockets so that nothing is normalised on the way: malformed requests, huge headers and
 * bodies, path traversal, bad tokens, a slowloris client. Every answer is a 4xx JSON error, the
 * state is unchanged, memory stays bounded and other clients keep being served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpAbuseTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path dir;
  private Daemon daemon;
  private MonitoringServer monitoring;
  private InetSocketAddress address;

  @BeforeAll
  void start(@TempDir Path tempDir) throws IOException {
    dir = tempDir;
    String yaml = Files.readString(Path.of("../config/gemma-1.yaml"))
        .replace("reactorStateSource: digitizer", "reactorStateSource: control");
    NudaqConfig base = new ConfigLoader().parse("http-abuse.yaml", yaml);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort(); // nobody listens there: the daemon just keeps retrying
    }
    List<BoardConfig> boards = new ArrayList<>();
    for (BoardConfig b : base.digitizer().boards()) {
      boards.add(new BoardConfig(b.id(), "127.0.0.1", closedPort, b.tickNs(), b.adcBits(), b.channels()));
    }
    NudaqConfig config = base.withDigitizer(new DigitizerConfig(boards, 200, 1000, 1000))
        .withHttp(new HttpConfig("127.0.0.1", 0, dir.resolve("control.token").toString()));
    daemon = new Daemon(config, dir.resolve("data"), Clock.systemUTC());
    monitoring = MonitoringServer.start(daemon, Clock.systemUTC());
    daemon.start();
    address = monitoring.address();
  }

  @AfterAll
  void stop() {
    monitoring.close();
    daemon.close();
  }

  /** A response read off the socket: status and body (null status when the server just closed). */
  record Response(Integer status, String head, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  /** Sends raw bytes, half-closes nothing, reads one response (or the close). */
  private Response raw(byte[] request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(address, 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (SocketException e) {
        // The server may answer and close before reading all of a huge request: read what it said.
      }
      return read(s.getInputStream());
    }
  }

  private Response raw(String request) throws IOException {
    return raw(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] b = new byte[8192];
    int contentLength = -1;
    int headEnd = -1;
    try {
      int n;
      while ((n = in.read(b)) > 0) {
        buf.write(b, 0, n);
        String text = buf.toString(StandardCharsets.ISO_8859_1);
        if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
          for (String line : text.substring(0, headEnd).split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
              contentLength = Integer.parseInt(line.substring(15).trim());
            }
          }
        }
        if (headEnd >= 0 && contentLength >= 0 && buf.size() >= headEnd + 4 + contentLength) {
          break;
        }
      }
    } catch (SocketException e) {
      // reset after the answer: keep what arrived
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return new Response(null, "", "");
    }
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    String body = end < 0 ? "" : text.substring(end + 4);
    return new Response(Integer.parseInt(head.split(" ")[1]), head, body);
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  }

  private static String post(String path, String auth, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n"
        + (auth == null ? "" : "Authorization: " + auth + "\r\n") + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  private static void assertJsonError(Response r, int... statuses) throws IOException {
    assertThat(r.status()).as("answer to a bad request").isNotNull();
    int[] allowed = statuses.length == 0 ? new int[] {400, 404, 405, 413, 414, 431} : statuses;
    assertThat(r.status()).isIn(Stream.of(allowed).flatMapToInt(java.util.Arrays::stream).boxed().toArray());
    assertThat(r.head().toLowerCase()).contains("content-type: application/json");
    JsonNode j = r.json();
    assertThat(j.path("status").asInt()).isEqualTo(r.status());
    assertThat(j.path("error").asText()).isNotBlank();
  }

  /** What a control request could change: run state, reactor state, snapshot files. */
  private String state() throws IOException {
    Response r = raw(get("/api/status"));
    assertThat(r.status()).isEqualTo(200);
    JsonNode j = r.json();
    String files;
    try (Stream<Path> s = Files.exists(dir.resolve("data")) ? Files.walk(dir.resolve("data")) : Stream.empty()) {
      files = s.map(p -> dir.relativize(p).toString()).sorted().toList().toString();
    }
    return "run=" + j.get("run") + " reactor=" + j.get("reactor") + " files=" + files + " runControl=" + daemon.run().state();
  }

  @Test
  void malformedRequestLinesGetA400JsonError() throws IOException {
    String before = state();
    String[] requests = {
        "GARBAGE\r\n\r\n",
        "GET\r\n\r\n",
        "GET /api/status\u0000 HTTP/1.1\r\n\r\n",
        "GET /api/status HTTP/1.1\r\nno colon in this header\r\n\r\n",
        "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /api/control/run HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "POST /api/control/run HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n",
        "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003 TLS hello on a plain port\r\n\r\n",
    };
    for (String req : requests) {
      Response r = raw(req);
      assertThat(r.status()).as("answer to %s", req.length() > 80 ? req.substring(0, 80) : req).isIn(400, 404, 414, 431);
      assertJsonError(r, 400, 404, 414, 431);
    }
    assertJsonError(raw(get("/api/residual?rebin=banana")), 400);
    assertJsonError(raw("DELETE /api/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 405);
    assertJsonError(raw(post("/api/status", null, "{}")), 405);
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void hugeHeadersAndBodiesAreRefusedWithJsonErrors() throws IOException {
    String before = state();
    String bigHeader = "GET /api/status HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n";
    assertJsonError(raw(bigHeader), 400, 431);
    StringBuilder many = new StringBuilder("GET /api/status HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 2000; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    assertJsonError(raw(many.append("\r\n").toString()), 400, 431);
    String token = Files.readString(monitoring.token().file()).trim();
    // An authorised control request with a 1 MiB body: refused before the body is read.
    String body = "{\"action\":\"start\",\"pad\":\"" + "p".repeat(1 << 20) + "\"}";
    assertJsonError(raw(post("/api/control/run", "Bearer " + token, body)), 413);
    // A body announced as 2 GB and never sent.
    assertJsonError(raw("POST /api/control/run HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
        + "\r\nContent-Length: 2000000000\r\n\r\n{"), 413);
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void pathTraversalOnStaticFilesNeverServesAFile() throws IOException {
    String[] paths = {
        "/../pom.xml", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2Fpom.xml",
        "/..%2f..%2fetc%2fpasswd", "/.%2e/.%2e/etc/passwd", "//etc/passwd", "/%2fetc%2fpasswd",
        "/..\\..\\pom.xml", "/%5c..%5c..%5cpom.xml", "/C:%5cWindows%5cwin.ini", "/web/../index.html",
        "/webjars/uplot/../../../META-INF/MANIFEST.MF", "/webjars/uplot/..%2f..%2fMETA-INF%2fMANIFEST.MF",
        "/index.html%00.js", "/%c0%ae%c0%ae/pom.xml", "/org/nudaq/server/daemon/Daemon.class",
        "/META-INF/MANIFEST.MF", "/logback.xml", "/.git/config",
    };
    for (String p : paths) {
      Response r = raw(get(p));
      assertThat(r.status()).as("GET %s", p).isIn(400, 404);
      assertJsonError(r, 400, 404);
      assertThat(r.body()).doesNotContain("root:").doesNotContain("<project").doesNotContain("Manifest-Version");
    }
    // Absolute URIs with a traversal in them, and one without (the page itself is served).
    assertJsonError(raw(get("http://localhost/../../etc/passwd")), 400, 404);
    assertThat(raw(get("/index.html")).status()).isEqualTo(200);
  }

  @Test
  void badMissingOrShortTokensGet401AndChangeNothing() throws IOException {
    String token = Files.readString(monitoring.token().file()).trim();
    String before = state();
    String[] auths = {
        null, "", "Bearer", "Bearer ", "Bearer x", "Bearer " + token.substring(0, token.length() / 2),
        "Bearer " + token.substring(0, token.length() - 1), "Bearer " + token + "x", "Bearer  " + token + " extra",
        "Basic " + token, token, "Bearer " + new StringBuilder(token).reverse(),
        "Bearer " + "A".repeat(4000),
    };
    String[][] actions = {
        {"/api/control/run", "{\"action\":\"start\"}"},
        {"/api/control/reactor", "{\"state\":\"on\"}"},
        {"/api/control/snapshot", "{}"},
    };
    for (String auth : auths) {
      for (String[] a : actions) {
        Response r = raw(post(a[0], auth, a[1]));
        assertThat(r.status()).as("%s with Authorization=%s", a[0], auth).isEqualTo(401);
        assertJsonError(r, 401);
        assertThat(r.body()).doesNotContain(token);
      }
    }
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void aFloodOfLargeBadRequestsLeavesTheHeapWhereItWas() throws IOException {
    String before = state();
    long heapBefore = heapAfterGc();
    byte[] body = new byte[60 * 1024]; // just under the 64 KiB limit: aggregated, then refused
    java.util.Arrays.fill(body, (byte) 'x');
    String large = "POST /api/control/run HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\nConnection: close\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1);
    String oversize = "POST /api/control/run HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 300000\r\n\r\n"
        + "y".repeat(300_000);
    for (int i = 0; i < 300; i++) {
      assertThat(raw(large).status()).isEqualTo(401);
      assertThat(raw(oversize).status()).isEqualTo(413);
    }
    long heapAfter = heapAfterGc();
    // 300 × (60 KiB + 300 KB) ≈ 108 MB went through; a leak of the bodies would show as tens of MB.
    assertThat(heapAfter - heapBefore).as("heap growth after the flood, bytes").isLessThan(16L << 20);
    assertThat(state()).isEqualTo(before);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void aSlowlorisClientIsClosedWithinTheRequestDeadlineWhileOthersAreServed() throws Exception {
    try (Socket slow = new Socket()) {
      slow.connect(address, 2000);
      slow.setSoTimeout(1000);
      OutputStream out = slow.getOutputStream();
      out.write("GET /api/status HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      boolean closed = false;
      int served = 0;
      // One header byte a second, as a slowloris does; meanwhile other clients are served.
      while (!closed && System.nanoTime() - start < 45_000_000_000L) {
        try {
          out.write('a');
          out.flush();
        } catch (SocketException e) {
          closed = true;
          break;
        }
        Response other = raw(get("/api/status"));
        assertThat(other.status()).isEqualTo(200);
        served++;
        try {
          int b = slow.getInputStream().read();
          closed = b < 0;
        } catch (SocketTimeoutException e) {
          // still open: nothing to read, as expected while the request is incomplete
        } catch (SocketException e) {
          closed = true;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(closed).as("the slow client's connection was closed").isTrue();
      // The deadline is 10 s from the first byte; allow for scheduling on a loaded 2-core machine (each turn of
      // this loop also waits for a status answer): a server without the deadline keeps the trickle open for the
      // whole 45 s.
      assertThat(seconds).isBetween(9.0, 30.0);
      assertThat(served).isGreaterThanOrEqualTo(5);
    }
  }
}
