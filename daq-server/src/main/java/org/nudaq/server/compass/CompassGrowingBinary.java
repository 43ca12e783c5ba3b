package org.nudaq.server.compass;

import static org.nudaq.server.compass.CompassDescriptor.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * One part of a CoMPASS binary channel file read while CoMPASS may still be appending to it, record
 * by record ({@link #next()} is false while the next record is not completely written: a partly
 * written record is waited for, never misread). Both layouts: the 2022 header ({@code 0xCAE0 | flags})
 * or the older headerless one; a continuation part ({@code _1}, {@code _2}, ...) or a file resumed at a
 * journaled offset is given its layout. {@link #recordOffset()} is where the current record starts —
 * the position to resume from.
 *
 * <p>Checks beyond the layout: a time stamp beyond 2^63 ps, a waveform longer than
 * {@link CompassFileTail#MAX_WAVEFORM_SAMPLES}, and a record of another (board, channel) than the
 * file's first (CoMPASS writes one channel per file: a change means the declared layout disagrees
 * with the records, or the file is garbled) end the part with {@link #error()} naming file and offset.
 *
 * <p>Single-threaded. Reads through one reused buffer; allocation-free per record.
 */
final class CompassGrowingBinary extends GrowingCompassFile {
  /** The layout of files without the 2022 header. */
  static final int HEADERLESS = 0x100;
  /** The layout is read from the file's first two bytes. */
  static final int FROM_HEADER = -1;

  private int layout;

  /**
   * @param layout   header flags, {@link #HEADERLESS}, or {@link #FROM_HEADER} (a first part read from its start)
   * @param position where the next record starts (0 with FROM_HEADER)
   */
  CompassGrowingBinary(Path file, int layout, long position) {
    super(file, position, ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN));
    this.layout = layout;
  }

  @Override
  boolean next() {
    if (error != null) {
      return false;
    }
    if (layout == FROM_HEADER) {
      if (!fill(HEADER_LENGTH)) {
        return false;
      }
      int header = buf.getShort(0) & 0xFFFF;
      if ((header & HEADER_MASK) == HEADER_MAGIC) {
        layout = header & 0xF;
        pos = HEADER_LENGTH;
      } else {
        layout = HEADERLESS;
      }
    }
    while (true) {
      int length = recordLength();
      if (length > 0) {
        return take(length);
      }
      if (error != null || !fill(length == 0 ? 64 : -length)) {
        return false;
      }
    }
  }

  /**
   * The length of the record at {@link #pos} if it is completely in the buffer; else −(bytes it needs
   * at least), or 0 when not even that is known yet.
   */
  private int recordLength() {
    int avail = limit - pos;
    if (layout == HEADERLESS) {
      if (avail < 24) {
        return -24;
      }
      long n = buf.getInt(pos + 20) & 0xFFFF_FFFFL;
      if (!samplesPlausible(n)) {
        return 0;
      }
      long need = 24 + 2 * n;
      return avail >= need ? (int) need : (int) -need;
    }
    int fixed = FIXED_PREFIX_LENGTH + ((layout & HEADER_ENERGY) != 0 ? 2 : 0) + ((layout & HEADER_CALIBRATED_ENERGY) != 0 ? 8 : 0)
        + ((layout & HEADER_ENERGY_SHORT) != 0 ? 2 : 0) + 4;
    if ((layout & HEADER_WAVEFORM) == 0) {
      return avail >= fixed ? fixed : -fixed;
    }
    if (avail < fixed + 5) {
      return -(fixed + 5);
    }
    long n = buf.getInt(pos + fixed + 1) & 0xFFFF_FFFFL;
    if (!samplesPlausible(n)) {
      return 0;
    }
    long need = fixed + 5 + 2 * n;
    return avail >= need ? (int) need : (int) -need;
  }

  private boolean samplesPlausible(long n) {
    if (n <= CompassFileTail.MAX_WAVEFORM_SAMPLES) {
      return true;
    }
    error = new CompassFormatException(file, bufStart + pos, "waveform of " + n + " samples: not a CoMPASS record ("
        + layoutName() + ")");
    return false;
  }

  /** Makes the record at pos (length bytes) current, after the checks. */
  private boolean take(int length) {
    int p = pos;
    int b = buf.getShort(p + BOARD_OFFSET) & 0xFFFF;
    int c = buf.getShort(p + CHANNEL_OFFSET) & 0xFFFF;
    long ts = buf.getLong(p + TIMESTAMP_OFFSET);
    int e;
    int f;
    if (layout == HEADERLESS) {
      e = buf.getShort(p + 12) & 0xFFFF;
      f = buf.getInt(p + 16);
    } else {
      int q = p + FIXED_PREFIX_LENGTH;
      e = 0;
      if ((layout & HEADER_ENERGY) != 0) {
        e = buf.getShort(q) & 0xFFFF;
        q += 2;
      }
      q += (layout & HEADER_CALIBRATED_ENERGY) != 0 ? 8 : 0;
      q += (layout & HEADER_ENERGY_SHORT) != 0 ? 2 : 0;
      f = buf.getInt(q);
    }
    long at = bufStart + p;
    if (!CompassDescriptor.isTimestamp(ts)) {
      error = new CompassFormatException(file, at + TIMESTAMP_OFFSET, CompassDescriptor.timestampError(ts)
          + ": not a CoMPASS record (" + layoutName() + ")");
      return false;
    }
    if (!current(b, c, ts, e, f, at)) {
      return false;
    }
    pos = p + length;
    return true;
  }

  @Override
  protected String mixedChannelsCause() {
    return "the records do not have the layout " + layoutName() + ", or the file is garbled";
  }

  private String layoutName() {
    return layout == HEADERLESS ? "headerless layout" : "header flags 0x" + Integer.toHexString(layout);
  }

  /** Reads what the file has beyond the buffer until {@code need} bytes from pos are there; false if not yet. */
  private boolean fill(int need) {
    if (limit - pos >= need) {
      return true;
    }
    if (pos > 0) {
      buf.position(pos).limit(limit);
      buf.compact();
      bufStart += pos;
      limit -= pos;
      pos = 0;
    }
    if (need > buf.capacity()) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, buf.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
      buf.position(0).limit(limit);
      bigger.put(buf);
      buf = bigger;
    }
    try {
      while (limit < buf.capacity()) {
        int read = read();
        if (read <= 0) {
          break;
        }
        limit += read;
      }
    } catch (IOException e) {
      error = new CompassFormatException(file, bufStart + limit, "cannot read: " + e.getMessage());
      return false;
    }
    return limit - pos >= need;
  }

  /** The layout (header flags or {@link #HEADERLESS}); {@link #FROM_HEADER} until the header was read. */
  int layout() {
    return layout;
  }

  @Override
  CompassFormatException truncated() {
    long rest = pendingBytes();
    return new CompassFormatException(file, position(), "file ends inside a record (" + rest + " bytes of it; "
        + (layout == FROM_HEADER ? "no complete header" : layoutName()) + "): truncated or garbled");
  }
}
