package org.nudaq.server.stress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.DigitizerConfig;
import org.nudaq.monitor.config.HttpConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.http.MonitoringServer;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.link.LinkStats;

/**
 * Protocol edges the simulator never sends, from a board the test writes frame by frame
 * ({@link FakeBoard}) to the real daemon over TCP, with its journal and /metrics (docs/wire-protocol.md
 * §2.2): sequence jumps of every size up to 2^64 − 1 (unsigned; a jump beyond
 * {@code digitizer.sequenceJumpMaxFrames} is a reset, not lost frames), frames before the HELLO, a
 * board that never says HELLO, a frame with another board's id. After each: /metrics answers 200, no
 * counter is negative, and the frames the board numbered = journaled + counted lost.
 */
class ProtocolEdgesTest {
  private static final long WINDOW = 1000;
  private static final Pattern SAMPLE = Pattern.compile("(?m)^(nudaq_[a-z_]+)(\\{[^}]*\\})? (\\S+)$");

  @Test
  void sequenceJumpsOfAnySizeAreGapsWithinTheWindowAndResetsBeyondItAndMetricsStayValid(@TempDir Path dir) throws Exception {
    try (FakeBoard board = new FakeBoard(0); Running d = Running.start(board, dir, 10_000)) {
      try (FakeBoard.Connection c = board.accept(10_000)) {
        c.hello(0).events(1, 1_000, 10).events(2, 100_000, 10)
            .events(8, 200_000, 10)          // 5 lost (3..7)
            .events(1008, 300_000, 10)       // 999 lost (9..1007): the window's edge is a gap
            .events(2010, 400_000, 10);      // 1001 ahead of 1009: beyond the window, a reset
        await("6 frames journaled", () -> d.daemon.journal().frames() == 6);
      }
      try (FakeBoard.Connection c = board.accept(10_000)) {
        c.hello(-1L)                                  // 2^64 − 1 after 2010: a reset (unsigned), not a gap
            .events(0, 500_000, 10)                     // wraps to 0: in order
            .events(Long.MIN_VALUE, 600_000, 10)        // 2^63: a reset
            .events(Long.MIN_VALUE + 1, 700_000, 10)
            .hello(3)                                   // went back: the board restarted
            .events(4, 800_000, 10)
            .goodbye(5);
        await("GOODBYE processed", () -> d.link().goodbyes() == 1 && d.daemon.queue().size() == 0);
      }
      LinkStats link = d.link();
      assertThat(link.framesLost()).isEqualTo(5 + 999);
      assertThat(link.sequenceGaps()).isEqualTo(2);
      assertThat(link.sequenceResets()).isEqualTo(3);
      assertThat(link.boardRestarts()).isEqualTo(1);
      assertThat(link.framesReceived()).isEqualTo(13);
      d.assertMetricsValid("link.frames.lost", 1004.0);
      d.assertMetricsValid("link.sequence.resets", 3.0);
      // Numbered in segments [0, 1008] (1009), [2010], [2^64−1, 0], [2^63, 2^63+1], [3, 5]: 1017.
      d.assertNumberedEqualsJournaledPlusLost(1009 + 1 + 2 + 2 + 3);
    }
  }

  /** Noise between frames and a frame cut off by the connection's end: counted and scraped as bytes. */
  @Test
  void skippedBytesAndBytesOfAFrameCutOffAreScrapedAsMetrics(@TempDir Path dir) throws Exception {
    try (FakeBoard board = new FakeBoard(0); Running d = Running.start(board, dir, 10_000)) {
      try (FakeBoard.Connection c = board.accept(10_000)) {
        c.hello(0).raw(new byte[7]).events(1, 1_000, 10).eventsCut(2, 2_000, 10, 50);
        await("2 frames journaled", () -> d.daemon.journal().frames() == 2);
      }
      await("the cut frame counted", () -> d.link().cutFrameBytes() == 50);
      assertThat(d.link().skippedBytes()).isEqualTo(7 + 50);
      d.assertMetricsValid("link.skipped.bytes", 57.0);
      d.assertMetricsValid("link.cut.frame.bytes", 50.0);
    }
  }

  @Test
  void aSilentBoardIsDroppedAfterTheHelloTimeoutAForeignBoardIdClosesTheLinkAndFramesBeforeHelloCountAsLost(
      @TempDir Path dir) throws Exception {
    try (FakeBoard board = new FakeBoard(0); Running d = Running.start(board, dir, 300)) {
      long t0 = System.nanoTime();
      try (FakeBoard.Connection silent = board.accept(10_000)) {
        assertThat(silent.closedByDaemon(20_000)).as("a board that never says HELLO is disconnected").isTrue();
      }
      long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      // Not before the timeout; after it within what a loaded 2-core CI machine may take to schedule it
      // (the link's own reconnect would come only after the closing, so the upper bound still fails a daemon
      // that never closes a silent board).
      assertThat(closedAfterMs).as("closed after digitizer.helloTimeoutMs = 300 ms").isBetween(250L, 15_000L);
      await("hello timeout counted", () -> d.link().helloTimeouts() == 1);

      try (FakeBoard.Connection foreign = board.accept(10_000)) {
        foreign.hello(9, 0);
        assertThat(foreign.closedByDaemon(20_000)).as("a frame of board 9 on board 0's link closes it").isTrue();
      }
      await("foreign frame counted", () -> d.link().foreignFrames() == 1);
      assertThat(d.link().up()).isFalse();

      try (FakeBoard.Connection c = board.accept(10_000)) {
        c.events(0, 1_000, 10).events(1, 2_000, 10) // before the HELLO: dropped, counted
            .hello(2).events(3, 3_000, 10).goodbye(4);
        await("GOODBYE processed", () -> d.link().goodbyes() == 1 && d.daemon.queue().size() == 0);
      }
      LinkStats link = d.link();
      assertThat(link.framesBeforeHello()).isEqualTo(2);
      assertThat(link.framesLost()).isEqualTo(2);
      assertThat(link.framesReceived()).isEqualTo(3);
      assertThat(link.helloTimeouts()).isEqualTo(1);
      d.assertMetricsValid("link.frames.before.hello", 2.0);
      d.assertMetricsValid("link.hello.timeouts", 1.0);
      d.assertMetricsValid("link.foreign.frames", 1.0);
      d.assertNumberedEqualsJournaledPlusLost(5);
    }
  }

  @Test
  void closingTheDaemonWhileTheLinkIsHeldBackLosesNoFrameReceived(@TempDir Path dir) throws Exception {
    // The smallest queue (2 MiB: 128 slots) and small frames as fast as TCP takes them: one read of the
    // link decodes many frames, the queue is full, and hundreds of frames wait in the link when the daemon
    // is closed. Those frames were received whole: handed over and journaled before the event loops stop,
    // none counted lost.
    try (FakeBoard board = new FakeBoard(0); Running d = Running.start(board, dir, 10_000, 2L << 20)) {
      final FakeBoard.Connection c = board.accept(10_000);
      c.hello(0);
      java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
      Thread flood = new Thread(() -> {
        try {
          for (long seq = 1; ; seq++) {
            c.events(0, seq, 100_000L * seq, 20, 7);
            sent.set(seq);
          }
        } catch (java.io.UncheckedIOException e) {
          // the daemon closed the connection
        }
      }, "flood");
      flood.start();
      await("the link held back by a full queue", () -> d.link().backpressurePauses() > 0 && d.daemon.queue().framesHeldByLinks() > 100);
      d.close();
      flood.join(TimeUnit.SECONDS.toMillis(30));
      c.close();
      LinkStats link = d.link();
      System.out.printf("held back: %d frames sent, %d received, %d journaled, %d lost, %d pauses%n", sent.get(),
          link.framesReceived(), d.daemon.journal().frames(), link.framesLost(), link.backpressurePauses());
      assertThat(flood.isAlive()).isFalse();
      assertThat(link.framesLost()).as("frames counted lost").isZero();
      assertThat(link.framesDropped()).isZero();
      assertThat(d.daemon.queue().framesHeldByLinks()).isZero();
      assertThat(d.daemon.journal().frames()).as("journaled = HELLO + every frame received").isEqualTo(link.framesReceived());
      assertThat(link.framesReceived()).isGreaterThan(2);
    }
  }

  /** The daemon (journal, /metrics) reading the fake board. */
  private static final class Running implements AutoCloseable {
    final Daemon daemon;
    final MonitoringServer monitoring;
    final Path data;
    final HttpClient http = HttpClient.newHttpClient();
    private boolean closed;

    private Running(Daemon daemon, MonitoringServer monitoring, Path data) {
      this.daemon = daemon;
      this.monitoring = monitoring;
      this.data = data;
    }

    static Running start(FakeBoard board, Path dir, long helloTimeoutMs) {
      return start(board, dir, helloTimeoutMs, DigitizerConfig.DEFAULT_FRAME_QUEUE_MAX_BYTES);
    }

    static Running start(FakeBoard board, Path dir, long helloTimeoutMs, long frameQueueMaxBytes) {
      NudaqConfig base = SimulatorToDaemon.gemma1(50, 1);
      BoardConfig b = base.digitizer().boards().get(0);
      NudaqConfig config = base
          .withDigitizer(new DigitizerConfig(List.of(new BoardConfig(b.id(), "127.0.0.1", board.port(), b.tickNs(), b.adcBits(),
              b.channels())), 20, 100, 2000).withLinkLimits(frameQueueMaxBytes, helloTimeoutMs, WINDOW))
          .withHttp(new HttpConfig("127.0.0.1", 0, dir.resolve("control.token").toString()));
      Path data = dir.resolve("data");
      Daemon daemon = new Daemon(config, data, Clock.systemUTC());
      MonitoringServer monitoring = MonitoringServer.start(daemon, Clock.systemUTC());
      daemon.start();
      return new Running(daemon, monitoring, data);
    }

    LinkStats link() {
      return daemon.links().get(0);
    }

    /** /metrics answers 200, no nudaq counter is negative, and {@code meter} (board 0) has {@code value}. */
    void assertMetricsValid(String meter, double value) throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + monitoring.hostPort() + "/metrics"))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("/metrics: %s", r.body()).isEqualTo(200);
      Matcher m = SAMPLE.matcher(r.body());
      boolean found = false;
      String name = "nudaq_" + meter.replace('.', '_') + "_total";
      while (m.find()) {
        double v = Double.parseDouble(m.group(3));
        if (m.group(1).endsWith("_total")) {
          assertThat(v).as("counter %s%s", m.group(1), m.group(2)).isGreaterThanOrEqualTo(0.0);
        }
        if (m.group(1).equals(name) && m.group(2) != null && m.group(2).contains("board=\"0\"")) {
          assertThat(v).as(name).isEqualTo(value);
          found = true;
        }
      }
      assertThat(found).as("%s in /metrics", name).isTrue();
    }

    /**
     * Closes the daemon and checks its accounting: the journal holds one session with every frame passed on,
     * and frames numbered = journaled + counted lost, in the run summary too.
     */
    void assertNumberedEqualsJournaledPlusLost(long numbered) throws Exception {
      close();
      long journaled = daemon.journal().frames();
      JsonNode acc = new ObjectMapper().readTree(daemon.summaryFile().toFile()).get("accounting");
      long lost = acc.get("lostFrames").asLong();
      System.out.printf("protocol edges: numbered %d, journaled %d, counted lost %d%n", numbered, journaled, lost);
      assertThat(journaled).isEqualTo(link().framesReceived());
      assertThat(lost).isEqualTo(link().framesLost());
      assertThat(journaled + lost).isEqualTo(numbered);
      assertThat(JournalSession.all(Daemon.journalDir(daemon.config(), data))).hasSize(1);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        monitoring.close();
        daemon.close();
      }
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
