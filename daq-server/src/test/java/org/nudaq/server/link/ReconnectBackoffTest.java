package org.nudaq.server.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.FrameWriter;
import org.nudaq.server.ingest.FrameQueue;

/**
 * The reconnect backoff restarts from its initial delay only when a connection delivered data. A board
 * that answers every connection with HELLO and GOODBYE (a finished simulator run that still listens)
 * is retried with growing delays, not every 10–30 ms forever; a board that sends data and drops the
 * link is reconnected at once each time.
 *
 * <p>Counts, not timings, decide: in 2 s with a 10 ms initial delay, growing delays allow at most ~9
 * connections (10 + 20 + ... + 1280 ms, with ±50% jitter); a reset at every HELLO gave ~100. The other
 * way round, 25 connections take growing delays at least 40 s (5 + 10 + ... + 1280 ms, then 15 × 2.5 s
 * at half the 5 s cap), and a reset at every connection well under a second: reaching 25 within 20 s
 * tells them apart however slow a loaded machine makes each connection, where "more than 20 in 2 s" did not.
 */
class ReconnectBackoffTest {
  private static final int BOARD = 7;

  @Test
  void aBoardThatOnlySaysHelloAndGoodbyeIsRetriedWithGrowingDelays() throws Exception {
    assertThat(connections(false, 2_000, Integer.MAX_VALUE)).isBetween(3, 14);
  }

  @Test
  void aBoardThatSendsDataIsReconnectedFromTheInitialDelayEachTime() throws Exception {
    assertThat(connections(true, 20_000, 25)).as("connections within 20 s").isEqualTo(25);
  }

  /** Connections the link makes in {@code windowMs}, or {@code enough} as soon as it has made that many. */
  private static int connections(boolean sendStatus, long windowMs, int enough) throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread board = new Thread(() -> serve(server, accepted, sendStatus), "fake-board");
      board.setDaemon(true);
      board.start();
      BoardConfig config = new BoardConfig(BOARD, "127.0.0.1", server.getLocalPort(), 4.0, 16, List.of());
      BoardLink link = new BoardLink(config, group, FrameQueue.forBytes(64L << 20), new LinkStats(BOARD), 10, 5_000, 1_000,
          10_000, 1L << 32);
      try {
        link.start();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(windowMs);
        while (accepted.get() < enough && System.nanoTime() < end) {
          Thread.sleep(5);
        }
      } finally {
        link.close();
      }
      assertThat(link.stats().goodbyes.get()).as("GOODBYEs received").isGreaterThanOrEqualTo(2);
      return Math.min(accepted.get(), enough);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Each connection: HELLO, optionally one STATUS, GOODBYE, close; the sequence continues across connections. */
  private static void serve(ServerSocket server, AtomicInteger accepted, boolean sendStatus) {
    FrameWriter writer = new FrameWriter();
    ByteBuffer buf = ByteBuffer.allocate(1 << 12);
    long sequence = 1;
    BoardHello hello = new BoardHello(0, 4_000, 1_000, 1, 0, 1, 16, 0);
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        accepted.incrementAndGet();
        int n = writer.writeHello(buf, 0, BOARD, sequence++, hello);
        if (sendStatus) {
          n += writer.writeStatus(buf, n, BOARD, sequence++, new BoardStatus(1_000, 1_000, 1, List.of()));
        }
        n += writer.writeGoodbye(buf, n, BOARD, sequence++, 0);
        OutputStream out = s.getOutputStream();
        out.write(buf.array(), 0, n);
        out.flush();
        Thread.sleep(5); // let the daemon read before the close
      } catch (SocketException closed) {
        return;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }
}
