package org.nudaq.server.compass;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One part of a CoMPASS channel file read while CoMPASS may still be appending to it: what the binary
 * ({@link CompassGrowingBinary}) and the CSV ({@link CompassGrowingCsv}) readers share. The file and its
 * read buffer with the offsets into it, the current record, the check that every record is of the
 * file's first (board, channel), and the positions the follow resumes from. The subclasses parse.
 *
 * <p>Single-threaded.
 */
abstract class GrowingCompassFile implements AutoCloseable {
  protected final Path file;
  private final FileChannel channel;
  protected ByteBuffer buf;
  /** File offset of buf[0]. */
  protected long bufStart;
  /** Bytes of the file in buf. */
  protected int limit;
  /** Where the next record starts in buf. */
  protected int pos;
  private int board;
  private int channelNo;
  private long timestampPs;
  private int energy;
  private int flags;
  private long recordOffset = -1;
  private int fileBoard = -1;
  private int fileChannel = -1;
  protected CompassFormatException error;

  /** Opens {@code file}; the next record starts at {@code position}. */
  protected GrowingCompassFile(Path file, long position, ByteBuffer buf) {
    this.file = file;
    this.buf = buf;
    this.bufStart = position;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new CompassFormatException(file, position, "cannot read: " + e.getMessage());
    }
  }

  /** Advances to the next complete record; false if there is none yet (or after a format error). */
  abstract boolean next();

  /** Reports that the file ends (it is complete) with a partial record: where and how much. */
  abstract CompassFormatException truncated();

  /** Why records of two (board, channel) pairs in one file mean it cannot be read: the end of that error's message. */
  protected abstract String mixedChannelsCause();

  /**
   * Makes the record at file offset {@code at} current, unless it is of another (board, channel) than
   * the file's first (CoMPASS writes one channel per file): then the part ends with {@link #error()}.
   */
  protected final boolean current(int b, int c, long ts, int e, int f, long at) {
    if (fileBoard < 0) {
      fileBoard = b;
      fileChannel = c;
    } else if (b != fileBoard || c != fileChannel) {
      error = new CompassFormatException(file, at, "record of board " + b + " channel " + c + " in the file of board " + fileBoard
          + " channel " + fileChannel + ": " + mixedChannelsCause());
      return false;
    }
    board = b;
    channelNo = c;
    timestampPs = ts;
    energy = e;
    flags = f;
    recordOffset = at;
    return true;
  }

  /** Reads from the file into buf[limit..capacity) at its offset; the bytes read, ≤ 0 at its end for now. */
  protected final int read() throws IOException {
    buf.limit(buf.capacity()).position(limit);
    try {
      return channel.read(buf, bufStart + limit);
    } finally {
      buf.clear();
    }
  }

  /** Bytes written after the last complete record (a partly written one, or a header not yet complete). */
  final long pendingBytes() {
    try {
      return channel.size() - (bufStart + pos);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Where the next record starts: the offset to resume from. */
  final long position() {
    return bufStart + pos;
  }

  /** Where the current record starts. */
  final long recordOffset() {
    return recordOffset;
  }

  final int board() {
    return board;
  }

  final int channel() {
    return channelNo;
  }

  final long timestampPs() {
    return timestampPs;
  }

  final int energyAdc() {
    return energy;
  }

  final int flags() {
    return flags;
  }

  /** The format error that ended the part, or null. */
  final CompassFormatException error() {
    return error;
  }

  @Override
  public final void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only: nothing to lose
    }
  }
}
