package org.nudaq.server.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.wire.FrameDescriptor;

/**
 * A link closed while the board's bytes wait in its socket: the stop reads them before closing (what the board
 * sent and this host's TCP acknowledged is not thrown away), so every whole frame is passed on, and the frame
 * cut at the end is discarded and counted ({@link LinkStats#cutFrameBytes}). The bytes are made to wait by
 * back-pressure: the sink takes the HELLO and then refuses, so the link stops reading after its first read. TCP
 * on 127.0.0.1 with a board that writes its frames in one write and keeps the connection open; no timing: each
 * step waits for a condition with a deadline.
 */
class LinkStopTest {
  private static final int BOARD = 1; // the golden HELLO's
  private static final int FRAMES = 20;
  private static final int EVENTS_PER_FRAME = 60;

  @Test
  void aStopPassesOnEveryWholeFrameTheSocketHoldsAndCountsTheCutOne() throws Exception {
    byte[] hello = GoldenFrames.fromDoc().get(0);
    List<byte[]> parts = new ArrayList<>(List.of(hello));
    for (int i = 1; i <= FRAMES; i++) {
      parts.add(GoldenFrames.events(BOARD, i, 1000L * i, EVENTS_PER_FRAME));
    }
    byte[] cut = GoldenFrames.events(BOARD, FRAMES + 1, 0, EVENTS_PER_FRAME);
    int cutBytes = cut.length / 2;
    parts.add(Arrays.copyOf(cut, cutBytes));
    byte[] stream = GoldenFrames.concat(parts.toArray(new byte[0][]));

    ClosedSink sink = new ClosedSink();
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread board = new Thread(() -> {
        try (Socket s = server.accept()) {
          OutputStream out = s.getOutputStream();
          out.write(stream);
          out.flush();
          written.countDown();
          release.await(); // the connection stays open: the board has not finished
        } catch (Exception e) {
          // the test's assertions say what is missing
        }
      }, "fake-board");
      board.setDaemon(true);
      board.start();
      LinkStats stats = new LinkStats(BOARD);
      BoardLink link = new BoardLink(new BoardConfig(BOARD, "127.0.0.1", server.getLocalPort(), 4.0, 16, List.of()), group,
          sink, stats, 10, 1_000, 1_000);
      link.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (written.getCount() > 0 || stats.backpressurePauses() == 0) {
        assertThat(System.nanoTime()).as("the board wrote its frames and the link stopped reading").isLessThan(deadline);
        Thread.sleep(5);
      }
      link.close();
      sink.open();
      while (sink.frames() < FRAMES + 1) {
        assertThat(System.nanoTime()).as("every whole frame passed on (%d so far)", sink.frames()).isLessThan(deadline);
        Thread.sleep(5);
      }
      release.countDown();
      assertThat(sink.frames()).isEqualTo(FRAMES + 1);
      assertThat(sink.events()).isEqualTo((long) FRAMES * EVENTS_PER_FRAME);
      assertThat(stats.framesReceived()).isEqualTo(FRAMES + 1);
      assertThat(stats.cutFrameBytes()).as("bytes of the frame cut at the end").isEqualTo(cutBytes);
      assertThat(stats.skippedBytes()).isEqualTo(cutBytes);
      assertThat(stats.framesLost()).isZero();
    } finally {
      release.countDown();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Takes the first frame (the HELLO), then refuses until {@link #open}; counts what it took. Thread-safe. */
  private static final class ClosedSink implements FrameSink {
    private final List<Runnable> waiting = new ArrayList<>();
    private boolean open;
    private int frames;
    private long events;

    @Override
    public synchronized boolean offer(int boardId, ByteBuf frame, long framesLostBefore) {
      if (frames >= 1 && !open) {
        return false;
      }
      frames++;
      int start = frame.readerIndex();
      if (frame.getUnsignedByte(start + FrameDescriptor.TYPE_OFFSET) == FrameDescriptor.TYPE_EVENTS) {
        events += frame.getUnsignedIntLE(start + FrameDescriptor.EVENTS_COUNT_OFFSET);
      }
      return true;
    }

    @Override
    public void whenSpace(Runnable callback) {
      boolean now;
      synchronized (this) {
        now = open;
        if (!now) {
          waiting.add(callback);
        }
      }
      if (now) {
        callback.run();
      }
    }

    void open() {
      List<Runnable> run;
      synchronized (this) {
        open = true;
        run = new ArrayList<>(waiting);
        waiting.clear();
      }
      run.forEach(Runnable::run);
    }

    synchronized int frames() {
      return frames;
    }

    synchronized long events() {
      return events;
    }
  }
}
