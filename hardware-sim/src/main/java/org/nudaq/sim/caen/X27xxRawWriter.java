package org.nudaq.sim.caen;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.EventFlags;

/**
 * Writes the simulated events as CAEN x27xx raw data (the Dig2 library's raw endpoint, DPP-PHA) in
 * {@code .raw} files as SOLARIS_DAQ writes them, one file per board ({@code board<id>.raw}): blobs of
 * a u16 identifier 0xAA0A and a u64 size (little-endian, as x86 writes them), each blob big-endian
 * 64-bit words — a start-run event first, then per generation step aggregates (at most
 * {@link #AGGREGATE_MAX_WORDS} words) of two-word hits and statistics events, a stop-run event at the
 * end. Layout as goluckyryan/SOLARIS_DAQ format_RAW.md draws it:
 * <ul>
 *   <li>hit: channel, time stamp in 8 ns units and fine time stamp in 7.8125 ps units (exactly the
 *       board's tick time when the tick is a multiple of 7.8125 ps, as the default 4 ns), 16-bit energy
 *       (ADC), high-priority flags pile-up 0x01, saturation 0x04 and fine-time-stamp-valid 0x40, low-priority
 *       flag self trigger 0x040, energy short 0 (PHA);</li>
 *   <li>statistics event per channel and board STATUS: real time = the board's real time, dead time =
 *       the channel's, both in 8 ns units; trigger count = accepted + lost, saved = accepted (24 bits);</li>
 *   <li>stop run: the board time of the last STATUS and the largest channel dead time as the board's total.</li>
 * </ul>
 * Single-threaded (the generator's thread).
 */
public final class X27xxRawWriter implements CaenSink {
  /** Words per aggregate at most (the header included). */
  public static final int AGGREGATE_MAX_WORDS = 4096;
  private static final int BLOB_PHA = 0xAA0A;
  private static final long TS_MASK = 0xFFFF_FFFF_FFFFL;

  /** One board's file and the blob being built. */
  private static final class Board {
    final OutputStream out;
    final long tickPs;
    final int id;
    ByteBuffer blob = ByteBuffer.allocate(1 << 16).order(ByteOrder.BIG_ENDIAN);
    int aggregateStart = -1;
    int counter;
    long lastBoardTime8ns;
    long lastTotalDead8ns;

    Board(OutputStream out, BoardConfig config) {
      this.out = out;
      this.tickPs = Math.round(config.tickNs() * 1000);
      this.id = config.id();
    }
  }

  private final Board[] boards;
  private final int[] indexOfId;
  private final ByteBuffer blobHeader = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
  private boolean closed;

  public X27xxRawWriter(NudaqConfig config, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<BoardConfig> list = config.digitizer().boards();
    boards = new Board[list.size()];
    int maxId = 0;
    for (BoardConfig b : list) {
      maxId = Math.max(maxId, b.id());
    }
    indexOfId = new int[maxId + 1];
    for (int i = 0; i < list.size(); i++) {
      BoardConfig b = list.get(i);
      boards[i] = new Board(new BufferedOutputStream(Files.newOutputStream(dir.resolve(fileName(b.id()))), 1 << 16), b);
      indexOfId[b.id()] = i;
      long mask = 0;
      for (ChannelConfig c : b.channels()) {
        mask |= 1L << c.channel();
      }
      Board w = boards[i];
      w.blob.putLong(0x3000_0000_0000_0004L).putLong(0).putLong(mask & 0xFFFF_FFFFL).putLong(mask >>> 32);
      writeBlob(w);
    }
  }

  /** The file of a board. */
  public static String fileName(int boardId) {
    return "board" + boardId + ".raw";
  }

  @Override
  public void onEvent(BoardConfig board, int channel, long timestampTicks, int energyAdc, int flags) {
    Board w = boards[indexOfId[board.id()]];
    room(w, 2);
    long ps = timestampTicks * w.tickPs;
    long ts = (ps / 8000) & TS_MASK;
    long fine = (ps % 8000) * 128 / 1000;
    long high = 0x40 | ((flags & EventFlags.PILEUP) != 0 ? 0x01 : 0) | ((flags & EventFlags.SATURATION) != 0 ? 0x04 : 0);
    w.blob.putLong(((long) (channel & 0x7F) << 56) | ts);
    w.blob.putLong((1L << 63) | (0x040L << 50) | (high << 42) | (fine << 16) | (energyAdc & 0xFFFF));
  }

  @Override
  public void onStatus(BoardConfig board, BoardStatus status) {
    Board w = boards[indexOfId[board.id()]];
    long real = status.realTimeTicks() * w.tickPs / 8000;
    long totalDead = 0;
    for (ChannelCounters c : status.channels()) {
      room(w, 4);
      long dead = c.deadTimeTicks() * w.tickPs / 8000;
      totalDead = Math.max(totalDead, dead);
      long triggers = (c.acceptedTriggers() + c.lostTriggers()) & 0xFF_FFFFL;
      long saved = c.acceptedTriggers() & 0xFF_FFFFL;
      w.blob.putLong(((long) (c.channel() & 0x7F) << 56) | (1L << 55) | (real & TS_MASK));
      w.blob.putLong(0);
      w.blob.putLong(dead & TS_MASK);
      w.blob.putLong((1L << 63) | (triggers << 24) | saved);
    }
    w.lastBoardTime8ns = status.boardTimeTicks() * w.tickPs / 8000;
    w.lastTotalDead8ns = totalDead;
  }

  /** Makes room for {@code words} in the open aggregate, opening a new one when needed. */
  private static void room(Board w, int words) {
    if (w.aggregateStart >= 0 && (w.blob.position() - w.aggregateStart) / 8 + words > AGGREGATE_MAX_WORDS) {
      closeAggregate(w);
    }
    if (w.blob.remaining() < (words + 1) * 8) {
      ByteBuffer bigger = ByteBuffer.allocate(w.blob.capacity() * 2).order(ByteOrder.BIG_ENDIAN);
      w.blob.flip();
      bigger.put(w.blob);
      w.blob = bigger;
    }
    if (w.aggregateStart < 0) {
      w.aggregateStart = w.blob.position();
      w.blob.putLong(0); // header written when the aggregate closes
    }
  }

  private static void closeAggregate(Board w) {
    long words = (w.blob.position() - w.aggregateStart) / 8;
    w.blob.putLong(w.aggregateStart, (0x2L << 60) | ((long) (w.counter & 0xFF_FFFF) << 32) | words);
    w.counter++;
    w.aggregateStart = -1;
  }

  @Override
  public void flush() {
    for (Board w : boards) {
      if (w.aggregateStart >= 0) {
        closeAggregate(w);
      }
      if (w.blob.position() > 0) {
        writeBlob(w);
      }
    }
  }

  private void writeBlob(Board w) {
    try {
      blobHeader.clear();
      blobHeader.putShort((short) BLOB_PHA).putLong(w.blob.position());
      w.out.write(blobHeader.array(), 0, 10);
      w.out.write(w.blob.array(), 0, w.blob.position());
      w.blob.clear();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the x27xx raw file of board " + w.id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    flush();
    for (Board w : boards) {
      w.blob.putLong(0x3200_0000_0000_0003L).putLong(w.lastBoardTime8ns & TS_MASK).putLong(w.lastTotalDead8ns & TS_MASK);
      writeBlob(w);
      try {
        w.out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close the x27xx raw file of board " + w.id + ": " + e.getMessage(), e);
      }
    }
  }
}
