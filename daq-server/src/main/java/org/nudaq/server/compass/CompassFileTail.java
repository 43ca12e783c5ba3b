package org.nudaq.server.compass;

import static org.nudaq.server.compass.CompassDescriptor.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One CoMPASS binary channel file read while CoMPASS is still writing it (groundwork for following a
 * run folder live, issue 14 item 3): each {@link #poll} reads what was appended since the last call and
 * passes the complete records on; a record CoMPASS has only partly written stays unread until the rest
 * is there. {@link #position()} is the byte offset just after the last record passed on — the point to
 * record (journal) and to resume from after a restart ({@link #CompassFileTail(Path, int, long)}), so
 * that nothing is read twice and nothing skipped.
 *
 * <p>The layout: the 2022 header ({@code 0xCAE0 | flags}) at the start of a file's first part, or the
 * header flags given by the caller for a continuation part ({@code _1}, {@code _2}, ... written without
 * the header) or a resumed file. Waveforms are skipped by their sample count. Records are little-endian
 * as in {@link CompassDescriptor}. A record that cannot be one (negative time stamp, or a waveform longer
 * than {@link #MAX_WAVEFORM_SAMPLES}) stops the file with {@link #error()} naming the file and offset.
 *
 * <p>Single-threaded. Reads through one reused buffer; allocation-free per record.
 */
public final class CompassFileTail implements AutoCloseable {
  /** Longer waveforms are not believed (CoMPASS records at most a few ten thousand samples). */
  public static final long MAX_WAVEFORM_SAMPLES = 1 << 20;

  private final Path file;
  private final FileChannel channel;
  private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
  /** Header flags, or −1 while the first two bytes of a headered file are not yet written. */
  private int headerFlags;
  private long position;
  private long records;
  private CompassFormatException error;

  /** The first part of a channel file, read from its start (its header says the layout). */
  public CompassFileTail(Path file) {
    this(file, -1, 0);
  }

  /**
   * A continuation part, or a file resumed at {@code position}.
   *
   * @param headerFlags the layout (the first part's header flags), or −1 to read it from the file's header
   * @param position    where the next record starts (0, or a {@link #position()} recorded before)
   */
  public CompassFileTail(Path file, int headerFlags, long position) {
    this.file = file;
    this.headerFlags = headerFlags;
    this.position = position;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new CompassFormatException(file, position, "cannot read: " + e.getMessage());
    }
  }

  /**
   * Passes on every complete record appended since the last call; returns how many (0: nothing new,
   * or a format error — see {@link #error()}).
   */
  public int poll(CompassRecordSink sink) {
    if (error != null) {
      return 0;
    }
    try {
      if (headerFlags < 0) {
        if (channel.size() < HEADER_LENGTH) {
          return 0;
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(h, 0);
        int header = h.getShort(0) & 0xFFFF;
        if ((header & HEADER_MASK) != HEADER_MAGIC) {
          error = new CompassFormatException(file, 0, "no CoMPASS header (0xCAEx) at the start, found 0x"
              + Integer.toHexString(header) + ": a continuation part or an older file needs its layout given");
          return 0;
        }
        headerFlags = header & 0xF;
        position = HEADER_LENGTH;
      }
      int n = 0;
      while (true) {
        buf.clear();
        int read = channel.read(buf, position);
        if (read <= 0) {
          return n;
        }
        buf.flip();
        long before = records;
        int used = records(buf, sink);
        n += (int) (records - before);
        position += used;
        if (error != null) {
          return n;
        }
        if (used == 0) {
          if (buf.limit() == buf.capacity()) {
            buf = ByteBuffer.allocate(buf.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN); // one record longer than the buffer
            continue;
          }
          return n; // the rest of a record is not written yet
        }
      }
    } catch (IOException e) {
      error = new CompassFormatException(file, position, "cannot read: " + e.getMessage());
      return 0;
    }
  }

  /** Passes on the complete records at the start of {@code b}; returns their bytes. */
  private int records(ByteBuffer b, CompassRecordSink sink) {
    int p = 0;
    int end = b.limit();
    while (true) {
      int q = p + FIXED_PREFIX_LENGTH;
      int energy = 0;
      if ((headerFlags & HEADER_ENERGY) != 0) {
        if (end - q < 2) {
          return p;
        }
        energy = b.getShort(q) & 0xFFFF;
        q += 2;
      }
      q += (headerFlags & HEADER_CALIBRATED_ENERGY) != 0 ? 8 : 0;
      q += (headerFlags & HEADER_ENERGY_SHORT) != 0 ? 2 : 0;
      if (end - q < 4) {
        return p;
      }
      int flags = b.getInt(q);
      q += 4;
      if ((headerFlags & HEADER_WAVEFORM) != 0) {
        if (end - q < 5) {
          return p;
        }
        long samples = b.getInt(q + 1) & 0xFFFF_FFFFL;
        if (samples > MAX_WAVEFORM_SAMPLES) {
          error = new CompassFormatException(file, position + p, "waveform of " + samples + " samples: not a CoMPASS record"
              + " (header flags 0x" + Integer.toHexString(headerFlags) + ")");
          return p;
        }
        if (end - q - 5 < 2 * samples) {
          return p;
        }
        q += 5 + (int) (2 * samples);
      }
      long ts = b.getLong(p + TIMESTAMP_OFFSET);
      if (!CompassDescriptor.isTimestamp(ts)) {
        error = new CompassFormatException(file, position + p + TIMESTAMP_OFFSET, CompassDescriptor.timestampError(ts)
            + ": not a CoMPASS record");
        return p;
      }
      sink.onRecord(b.getShort(p + BOARD_OFFSET) & 0xFFFF, b.getShort(p + CHANNEL_OFFSET) & 0xFFFF, ts, energy, flags);
      records++;
      p = q;
    }
  }

  /** Byte offset just after the last record passed on: where to resume. */
  public long position() {
    return position;
  }

  /** The layout's header flags (−1 until the header was read). */
  public int headerFlags() {
    return headerFlags;
  }

  public long records() {
    return records;
  }

  /** The format error that stopped the file, or null. */
  public CompassFormatException error() {
    return error;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only: nothing to lose
    }
  }
}
