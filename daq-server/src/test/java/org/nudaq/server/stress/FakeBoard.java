package org.nudaq.server.stress;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameWriter;

/**
 * A digitizer board written by the test itself, frame by frame (the monitor's {@link FrameWriter}):
 * for the protocol edges the simulator never produces — sequence jumps of any size, frames before the
 * HELLO, another board's id, a silent board, maximum-size frames at full speed. Listens on 127.0.0.1
 * (a free port); the daemon connects to it as to a real board.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
final class FakeBoard implements AutoCloseable {
  /** Channels of the GEMMA-I board: 0 HPGe, 1 NaI. */
  static final int CHANNELS = 2;

  private final int boardId;
  private final ServerSocket server;
  private final FrameWriter writer = new FrameWriter();
  private final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH);

  FakeBoard(int boardId) throws IOException {
    this.boardId = boardId;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  int port() {
    return server.getLocalPort();
  }

  /** Waits for the daemon to connect. */
  Connection accept(long timeoutMs) throws IOException {
    server.setSoTimeout((int) timeoutMs);
    try {
      Socket s = server.accept();
      s.setTcpNoDelay(true);
      return new Connection(s);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the daemon did not connect within " + timeoutMs + " ms", e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** One connection from the daemon. */
  final class Connection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;

    private Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    /** A HELLO of {@code board} (usually this board's id) with sequence {@code seq}. */
    Connection hello(int board, long seq) {
      int n = writer.writeHello(buffer, 0, board, seq,
          new BoardHello(0, 4000, 1000, 1, 0, CHANNELS, 16, FrameDescriptor.CAPABILITY_SIMULATOR));
      return write(n);
    }

    Connection hello(long seq) {
      return hello(boardId, seq);
    }

    /**
     * An EVENTS frame of {@code count} NaI events (channel 1, below the veto threshold) at ticks
     * {@code t0, t0 + 1000, ...}.
     */
    Connection events(int board, long seq, long t0, int count) {
      return events(board, seq, t0, count, 1);
    }

    /** As above on {@code channel} (one the configuration does not have: rejected by the pipeline at once). */
    Connection events(int board, long seq, long t0, int count, int channel) {
      writer.beginEvents(buffer, 0, board, seq);
      for (int i = 0; i < count; i++) {
        writer.appendEvent(t0 + 1000L * i, channel, 50, 0, 0);
      }
      return write(writer.finishEvents());
    }

    Connection events(long seq, long t0, int count) {
      return events(boardId, seq, t0, count);
    }

    /** A STATUS at {@code boardTimeTicks} with zero counters (a watermark for the merge). */
    Connection status(long seq, long boardTimeTicks) {
      int n = writer.writeStatus(buffer, 0, boardId, seq, new BoardStatus(boardTimeTicks, boardTimeTicks,
          FrameDescriptor.REACTOR_ON, List.of(new ChannelCounters(0, boardTimeTicks, 0, 0, 0),
              new ChannelCounters(1, boardTimeTicks, 0, 0, 0))));
      return write(n);
    }

    Connection goodbye(long seq) {
      return write(writer.writeGoodbye(buffer, 0, boardId, seq, 0));
    }

    /** {@code bytes} as they are (noise between frames, say). */
    Connection raw(byte[] bytes) {
      buffer.put(0, bytes);
      return write(bytes.length);
    }

    /** The first {@code keep} bytes of an EVENTS frame as {@link #events(long, long, int)} writes it (a frame cut off). */
    Connection eventsCut(long seq, long t0, int count, int keep) {
      writer.beginEvents(buffer, 0, boardId, seq);
      for (int i = 0; i < count; i++) {
        writer.appendEvent(t0 + 1000L * i, 1, 50, 0, 0);
      }
      int length = writer.finishEvents();
      return write(Math.min(keep, length));
    }

    private Connection write(int length) {
      try {
        out.write(buffer.array(), 0, length);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Whether the daemon has closed this connection (a read sees EOF within {@code waitMs}). */
    boolean closedByDaemon(long waitMs) throws IOException {
      socket.setSoTimeout((int) waitMs);
      try {
        return socket.getInputStream().read() < 0;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
