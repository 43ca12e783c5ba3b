package org.nudaq.sim.caen;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.CompassConfig;
import org.nudaq.monitor.config.CompassStreamConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.EventFlags;

/**
 * Serves the simulated events as CAEN CoMPASS serves its online TCP output: the binary list file's
 * records (little-endian; u16 board, u16 channel, u64 time stamp in ps, the optional fields of the
 * configuration's {@code compass.stream} layout, u32 flags) back to back, with no header, no framing and
 * no record boundaries. The stream runs whether anyone listens or not; a client that connects joins at
 * the next write, which in general starts inside a record (writes are cut at {@code chunkBytes}, not at
 * records), exactly the situation of a real late client. Our (board, channel) becomes CoMPASS's by
 * the inverse of {@code compass.channels} (an unmapped channel keeps our numbers).
 *
 * <p>Optionally {@code garbageEveryRecords} inserts a burst of 1..2L random bytes after every that many
 * records (L the record length), as a fault to re-align after. A {@link Tap} sees every record and burst
 * with its byte offset in the stream (ground truth for tests). Clients are written with blocking I/O
 * from the generator thread, so a slow client holds back generation (nothing is lost for it); a client
 * whose connection fails is dropped.
 *
 * <p>Thread-safety: events, {@link #flush} and {@link #close} on the generator thread; the acceptor on its own.
 */
public final class CompassStreamServer implements CaenSink {

  /** Ground truth of what was served. */
  public interface Tap {
    void record(long streamOffset, int board, int channel, long timestampPs, int energyAdc, int flags);

    void garbage(long streamOffset, int length);
  }

  /** Bytes per socket write: not a multiple of any record length (prime), so joins fall inside records. */
  public static final int DEFAULT_CHUNK_BYTES = 4093;

  private final ServerSocket server;
  private final Thread acceptor;
  private final ConcurrentLinkedQueue<Socket> joining = new ConcurrentLinkedQueue<>();
  private final List<Socket> clients = new ArrayList<>();
  private final List<Long> joinOffsets = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ByteBuffer staging = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  private final int chunkBytes;
  private final CompassStreamConfig layout;
  private final int recordLength;
  private final int[] compassKey;
  private final int maxBoardId;
  private final double[][] calibration;
  private final long garbageEveryRecords;
  private final SplittableRandom random;
  private final Tap tap;
  private volatile long position; // read by tests and the CLI on other threads
  private long records;
  private long sinceGarbage;
  private volatile boolean closed;

  /**
   * @param garbageEveryRecords 0 for none
   * @param tap                 ground truth, or null
   */
  public CompassStreamServer(NudaqConfig config, InetSocketAddress bind, int chunkBytes, long garbageEveryRecords, long seed,
      Tap tap) throws IOException {
    this.layout = config.compass().stream();
    if (layout == null) {
      throw new IllegalArgumentException(config.source() + ": compass.stream is missing: it declares the record layout to serve");
    }
    this.recordLength = 16 + (layout.energy() ? 2 : 0) + (layout.calibratedEnergy() ? 8 : 0) + (layout.energyShort() ? 2 : 0);
    this.chunkBytes = chunkBytes;
    this.garbageEveryRecords = garbageEveryRecords;
    this.random = new SplittableRandom(seed);
    this.tap = tap;
    int max = 0;
    for (BoardConfig b : config.digitizer().boards()) {
      max = Math.max(max, b.id());
    }
    maxBoardId = max;
    compassKey = new int[(max + 1) << 8];
    calibration = new double[(max + 1) << 8][];
    for (BoardConfig b : config.digitizer().boards()) {
      for (ChannelConfig c : b.channels()) {
        compassKey[(b.id() << 8) | c.channel()] = (b.id() << 16) | c.channel();
        calibration[(b.id() << 8) | c.channel()] = c.calibration();
      }
    }
    for (CompassConfig.ChannelMapping m : config.compass().channels()) {
      if (m.toBoard() <= max && m.toChannel() < 256) {
        compassKey[(m.toBoard() << 8) | m.toChannel()] = (m.board() << 16) | m.channel();
      }
    }
    server = new ServerSocket();
    server.bind(bind);
    acceptor = new Thread(this::accept, "compass-stream-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public InetSocketAddress boundAddress() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** Record length of the served layout, bytes. */
  public int recordLength() {
    return recordLength;
  }

  /** Stream offsets at which clients joined, in order of joining. */
  public List<Long> joinOffsets() {
    return joinOffsets;
  }

  /** Bytes served so far (records and garbage). */
  public long position() {
    return position;
  }

  public long records() {
    return records;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        joining.add(s);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void onEvent(BoardConfig board, int channel, long timestampTicks, int energyAdc, int flags) {
    if (staging.remaining() < 3 * recordLength) {
      send();
    }
    int key = board.id() <= maxBoardId && channel < 256 ? compassKey[(board.id() << 8) | channel] : (board.id() << 16) | channel;
    int cb = key >>> 16;
    int cc = key & 0xFFFF;
    long ps = timestampTicks * Math.round(board.tickNs() * 1000);
    int cf = compassFlags(flags);
    long offset = position + staging.position();
    staging.putShort((short) cb).putShort((short) cc).putLong(ps);
    if (layout.energy()) {
      staging.putShort((short) energyAdc);
    }
    if (layout.calibratedEnergy()) {
      double[] cal = board.id() <= maxBoardId && channel < 256 ? calibration[(board.id() << 8) | channel] : null;
      double keV = 0;
      if (cal != null) {
        for (int i = cal.length - 1; i >= 0; i--) {
          keV = keV * energyAdc + cal[i];
        }
      }
      staging.putDouble(keV);
    }
    if (layout.energyShort()) {
      staging.putShort((short) (energyAdc * 3 / 4));
    }
    staging.putInt(cf);
    records++;
    if (tap != null) {
      tap.record(offset, cb, cc, ps, layout.energy() ? energyAdc : 0, cf);
    }
    if (garbageEveryRecords > 0 && ++sinceGarbage >= garbageEveryRecords) {
      sinceGarbage = 0;
      int n = 1 + random.nextInt(2 * recordLength);
      if (tap != null) {
        tap.garbage(position + staging.position(), n);
      }
      for (int i = 0; i < n; i++) {
        staging.put((byte) random.nextInt(256));
      }
    }
  }

  /** CoMPASS flags for ours: pile-up 0x8000, saturation 0x80, trigger lost 0x20, fake 0x8, roll-over 0x2, reset 0x4. */
  static int compassFlags(int flags) {
    int cf = 0;
    if ((flags & EventFlags.PILEUP) != 0) {
      cf |= 0x8000;
    }
    if ((flags & EventFlags.SATURATION) != 0) {
      cf |= 0x80;
    }
    if ((flags & EventFlags.LOST_TRIGGERS_BEFORE) != 0) {
      cf |= 0x20;
    }
    if ((flags & EventFlags.FAKE) != 0) {
      cf |= 0x8;
    }
    if ((flags & EventFlags.TIMESTAMP_ROLLOVER) != 0) {
      cf |= 0x2;
    }
    if ((flags & EventFlags.TIMESTAMP_RESET) != 0) {
      cf |= 0x4;
    }
    return cf;
  }

  @Override
  public void onStatus(BoardConfig board, BoardStatus status) {
    // The CoMPASS stream carries no live time nor counters.
  }

  @Override
  public void flush() {
    send();
  }

  /** Writes what is staged to every client, in pieces of chunkBytes; new clients join before a piece. */
  private void send() {
    byte[] a = staging.array();
    int n = staging.position();
    for (int off = 0; off < n; off += chunkBytes) {
      int len = Math.min(chunkBytes, n - off);
      Socket s;
      while ((s = joining.poll()) != null) {
        clients.add(s);
        joinOffsets.add(position);
      }
      for (int i = clients.size() - 1; i >= 0; i--) {
        try {
          OutputStream out = clients.get(i).getOutputStream();
          out.write(a, off, len);
        } catch (IOException e) {
          closeQuietly(clients.remove(i));
        }
      }
      position += len;
    }
    staging.clear();
  }

  /** Closes the clients and the port (the run ended). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    send();
    closed = true;
    for (Socket s : clients) {
      closeQuietly(s);
    }
    clients.clear();
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    Socket s;
    while ((s = joining.poll()) != null) {
      closeQuietly(s);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // gone already
    }
  }

  @Override
  public String toString() {
    return "CoMPASS stream on " + boundAddress() + ", " + recordLength + "-byte records, header flags 0x"
        + Integer.toHexString(layout.headerFlags());
  }
}
