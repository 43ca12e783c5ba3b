package org.nudaq.server.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.nudaq.server.metrics.LinkMetrics;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A board that is gone (its simulator exited: every connection refused) is retried with the capped backoff and
 * logged once, not once per attempt, with the link's state {@code retrying} in {@code nudaq_link_state}; when the
 * board is back (the shift crew restarted it) the link connects again by itself, says so in one line, and the
 * state is {@code connected}. The {@link Reconnector} of a board link, with a logger that keeps its lines (the
 * process's slf4j-simple writes to a stream fixed at its start); here a connection made counts as working (as
 * for the CoMPASS stream; a board link waits for its first data frame). TCP on 127.0.0.1; no timing: each step
 * waits for a condition with a deadline.
 */
class ReconnectStateTest {
  private static final int BOARD = 7;

  @Test
  void aGoneBoardIsRetriedWithOneLineAndItsStateAndPickedUpAgainWhenItIsBack() throws Exception {
    // The port is held, not freed, while the link is refused: a socket bound to it that does not listen (connections
    // to it are refused), so that no other process can take it before the board comes back on it.
    Socket held = new Socket();
    held.setReuseAddress(true);
    held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    int port = held.getLocalPort();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    LinkStats stats = new LinkStats(BOARD);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LinkMetrics metrics = new LinkMetrics(List.of(stats), Tags.empty());
    metrics.bindTo(registry);
    KeptLines log = new KeptLines();
    AtomicReference<Reconnector> self = new AtomicReference<>();
    Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1_000).handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            // the connection itself is what this test follows
          }
        });
    String where = "127.0.0.1:" + port;
    Reconnector link = new Reconnector(bootstrap, "127.0.0.1", port, new Backoff(5, 50, 1), log, "board " + BOARD,
        "cannot connect to " + where, "link to " + where + " lost", stats.connection, ch -> self.get().resetBackoff());
    self.set(link);
    CountDownLatch release = new CountDownLatch(1);
    try {
      assertThat(stats.connectionState()).isEqualTo(ConnectionState.CONNECTING);
      link.start();
      waitFor("10 refused attempts", () -> stats.connectFailures() >= 10);
      assertThat(stats.connectionState()).isEqualTo(ConnectionState.RETRYING);
      assertThat(state(registry, "retrying")).isEqualTo(1);
      assertThat(state(registry, "connected")).isEqualTo(0);
      assertThat(log.count("WARN", "board 7: cannot connect")).as("WARN lines for %d refused attempts: %s",
          stats.connectFailures(), log).isEqualTo(1);

      try (ServerSocket board = listenOn(held)) {
        Thread serving = new Thread(() -> hold(board, release), "board-back");
        serving.setDaemon(true);
        serving.start();
        waitFor("connected again", () -> stats.connectionState() == ConnectionState.CONNECTED);
        assertThat(state(registry, "connected")).isEqualTo(1);
        assertThat(state(registry, "retrying")).isEqualTo(0);
        assertThat(log.count("INFO", "board 7: connected to " + where + " again, after ")).as("%s", log).isEqualTo(1);
        assertThat(log.count("WARN", "")).as("%s", log).isEqualTo(1);
        link.close();
      }
      assertThat(stats.connectionState()).isEqualTo(ConnectionState.CLOSED);
      assertThat(state(registry, "closed")).isEqualTo(1);
    } finally {
      release.countDown();
      held.close();
      link.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    System.out.printf("reconnect state: %d refused attempts, %d WARN line; connected again%n", stats.connectFailures(),
        log.count("WARN", ""));
  }

  private static double state(SimpleMeterRegistry registry, String state) {
    return registry.get("nudaq.link.state").tag("board", Integer.toString(BOARD)).tag("state", state).gauge().value();
  }

  private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting until %s", what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /**
   * A server socket listening on the port {@code held} holds, bound while it still holds it where the system allows
   * that (SO_REUSEADDR, no listener yet), else right after it is closed, retried for 60 s should the bind fail.
   */
  private static ServerSocket listenOn(Socket held) throws Exception {
    InetSocketAddress where = new InetSocketAddress(InetAddress.getLoopbackAddress(), held.getLocalPort());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      try {
        server.bind(where, 1);
        held.close();
        return server;
      } catch (java.net.BindException e) {
        server.close();
        held.close();
        assertThat(System.nanoTime()).as("binding %s again: %s", where, e.getMessage()).isLessThan(deadline);
        Thread.sleep(5);
      }
    }
  }

  /** The board back: accepts one connection and keeps it open until released. */
  private static void hold(ServerSocket server, CountDownLatch release) {
    try (Socket s = server.accept()) {
      release.await();
    } catch (Exception e) {
      // the test's assertions say what is missing
    }
  }

  /** A logger that keeps its INFO, WARN and ERROR lines ("LEVEL message"), formatted as slf4j does. Thread-safe. */
  private static final class KeptLines extends LegacyAbstractLogger {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    long count(String level, String containing) {
      return lines.stream().filter(l -> l.startsWith(level + " ") && l.contains(containing)).count();
    }

    @Override
    public String toString() {
      return String.join("\n", lines);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args));
    }

    @Override public boolean isTraceEnabled() { return false; }
    @Override public boolean isDebugEnabled() { return false; }
    @Override public boolean isInfoEnabled() { return true; }
    @Override public boolean isWarnEnabled() { return true; }
    @Override public boolean isErrorEnabled() { return true; }
  }
}
