package org.nudaq.server.compass;

import static org.nudaq.server.compass.CompassDescriptor.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A CoMPASS binary list file (.BIN), with the 2022 header or in the older headerless layout (see
 * {@link CompassDescriptor}); waveforms are skipped. The file is memory-mapped in windows of
 * {@link #WINDOW_BYTES} (a year of one channel can exceed the 2 GiB one mapping can hold) and parsed
 * in place, allocation-free per record except when the window moves. Single-threaded; close it.
 */
public final class CompassBinarySource extends CompassRecordSource {
  /** Bytes mapped at a time (a record longer than that gets a window of its own size). */
  static final int WINDOW_BYTES = 1 << 30;
  private final FileChannel fileChannel;
  private final long fileSize;
  private final int windowBytes;
  /** The mapped window: file bytes [windowStart, windowStart + limit). */
  private ByteBuffer buf;
  private long windowStart;
  private int limit;
  private final boolean headered;
  private final int headerFlags;
  /** Where the next record starts in the window (the buffer's position is not used). */
  private int pos;
  /**
   * Records of a 2022 file without waveforms all have this length (0 otherwise), with the energy and
   * the flags at these offsets (energy −1: not in the file): read with one length check per record.
   */
  private final int fixedLength;
  private final int energyOffset;
  private final int flagsOffset;
  /** A window is moved before fewer bytes than this remain in it (more than any record without waveform). */
  private static final int RECORD_MARGIN = 64;

  public CompassBinarySource(Path file) {
    this(file, WINDOW_BYTES);
  }

  /** With another window size (tests: windows smaller than a file). */
  CompassBinarySource(Path file, int windowBytes) {
    this(file, windowBytes, -1);
  }

  /**
   * A continuation part of a split channel file ({@code _1}, {@code _2}, ...: CoMPASS writes the
   * 2-byte header only into the first part): its records have the layout of the first part's header flags.
   */
  public static CompassBinarySource continuation(Path file, int firstPartHeaderFlags) {
    return new CompassBinarySource(file, WINDOW_BYTES, firstPartHeaderFlags);
  }

  private CompassBinarySource(Path file, int windowBytes, int givenHeaderFlags) {
    super(file);
    this.windowBytes = windowBytes;
    try {
      fileChannel = FileChannel.open(file, StandardOpenOption.READ);
      fileSize = fileChannel.size();
    } catch (IOException e) {
      throw new CompassFormatException(file, 0, "cannot read: " + e.getMessage());
    }
    map(0, windowBytes);
    if (givenHeaderFlags >= 0) {
      headered = true;
      headerFlags = givenHeaderFlags & 0xF;
      pos = 0;
    } else if (limit >= 2 && (buf.getShort(0) & HEADER_MASK) == HEADER_MAGIC) {
      headered = true;
      headerFlags = buf.getShort(0) & 0xF;
      pos = HEADER_LENGTH;
    } else {
      headered = false;
      headerFlags = 0;
      pos = 0;
    }
    if (headered && (headerFlags & HEADER_WAVEFORM) == 0) {
      int at = FIXED_PREFIX_LENGTH;
      energyOffset = (headerFlags & HEADER_ENERGY) != 0 ? at : -1;
      at += energyOffset >= 0 ? 2 : 0;
      at += (headerFlags & HEADER_CALIBRATED_ENERGY) != 0 ? 8 : 0;
      at += (headerFlags & HEADER_ENERGY_SHORT) != 0 ? 2 : 0;
      flagsOffset = at;
      fixedLength = at + 4;
    } else {
      fixedLength = 0;
      energyOffset = -1;
      flagsOffset = -1;
    }
  }

  /**
   * The file read from record {@code record} on (0: the first), for a replay cut in time (issue 19,
   * {@link SegmentedCompassImport}): only a file whose records all have one length (a 2022 header
   * without waveforms, {@link #fixedLength()} &gt; 0) can be entered in the middle; {@link #records()}
   * counts from {@code record}, as if the records before had been read.
   *
   * @throws IllegalArgumentException for a record &gt; 0 of a file of records of varying length
   */
  static CompassBinarySource at(Path file, long record) {
    return at(file, -1, record);
  }

  /**
   * As {@link #at(Path, long)}, for a continuation part of a split channel file too
   * ({@code firstPartHeaderFlags} ≥ 0: its records have that layout and it has no header).
   */
  static CompassBinarySource at(Path file, int firstPartHeaderFlags, long record) {
    CompassBinarySource s = new CompassBinarySource(file, WINDOW_BYTES, firstPartHeaderFlags);
    if (record > 0) {
      if (s.fixedLength == 0) {
        s.close();
        throw new IllegalArgumentException(file + ": records of varying length cannot be entered in the middle");
      }
      s.map(Math.min(s.fileSize, (firstPartHeaderFlags >= 0 ? 0 : HEADER_LENGTH) + record * s.fixedLength), s.windowBytes);
      s.records = record;
    }
    return s;
  }

  /** The length of every record, bytes (a 2022 header without waveforms), or 0 if they vary. */
  int fixedLength() {
    return fixedLength;
  }

  /** Maps the window [at, at + min(bytes, rest of the file)) and puts {@link #pos} at its start. */
  private void map(long at, int bytes) {
    int length = (int) Math.min(bytes, fileSize - at);
    try {
      buf = fileChannel.map(FileChannel.MapMode.READ_ONLY, at, length).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new CompassFormatException(file, at, "cannot read: " + e.getMessage());
    }
    windowStart = at;
    limit = length;
    pos = 0;
  }

  /** Whether the window ends before the file does. */
  private boolean moreBeyondWindow() {
    return windowStart + limit < fileSize;
  }

  /** The 2022 header's flags (given for a continuation part), or −1 for the older headerless layout. */
  public int headerFlags() {
    return headered ? headerFlags : -1;
  }

  /** Whether the file has the 2022 header (false: the older headerless layout). */
  public boolean headered() {
    return headered;
  }

  @Override
  public boolean next() {
    if (error != null) {
      return false;
    }
    if (pos >= limit - RECORD_MARGIN && moreBeyondWindow()) {
      map(windowStart + pos, windowBytes); // the next records lie (partly) beyond the window
    }
    int start = pos;
    if (start >= limit) {
      return false;
    }
    if (fixedLength > 0 && limit - start >= fixedLength) {
      long ts = buf.getLong(start + TIMESTAMP_OFFSET);
      if (CompassDescriptor.isTimestamp(ts)) {
        board = buf.getShort(start + BOARD_OFFSET) & 0xFFFF;
        channel = buf.getShort(start + CHANNEL_OFFSET) & 0xFFFF;
        timestampPs = ts;
        energy = energyOffset >= 0 ? buf.getShort(start + energyOffset) & 0xFFFF : 0;
        flags = buf.getInt(start + flagsOffset);
        pos = start + fixedLength;
        records++;
        return true;
      }
      // a time stamp that cannot be one (negative, or the feed's end mark): the general path below reports it
    }
    int p = start;
    if (limit - p < FIXED_PREFIX_LENGTH) {
      return truncated(start, "record header");
    }
    int b = buf.getShort(p + BOARD_OFFSET) & 0xFFFF;
    int c = buf.getShort(p + CHANNEL_OFFSET) & 0xFFFF;
    long ts = buf.getLong(p + TIMESTAMP_OFFSET);
    p += FIXED_PREFIX_LENGTH;
    int e = 0;
    if (headered) {
      if ((headerFlags & HEADER_ENERGY) != 0) {
        if (limit - p < 2) {
          return truncated(start, "energy");
        }
        e = buf.getShort(p) & 0xFFFF;
        p += 2;
      }
      if ((headerFlags & HEADER_CALIBRATED_ENERGY) != 0) {
        p += 8;
      }
      if ((headerFlags & HEADER_ENERGY_SHORT) != 0) {
        p += 2;
      }
      if (limit - p < 4) {
        return truncated(start, "flags");
      }
      int f = buf.getInt(p);
      p += 4;
      if ((headerFlags & HEADER_WAVEFORM) != 0) {
        if (limit - p < 5) {
          return truncated(start, "waveform header");
        }
        long n = buf.getInt(p + 1) & 0xFFFFFFFFL;
        p += 5;
        if (n * 2 > limit - p) {
          return truncated(start, "waveform of " + n + " samples");
        }
        p += (int) (2 * n);
      }
      flags = f;
    } else {
      if (limit - p < 2 + 2 + 4 + 4) {
        return truncated(start, "energy, energy short, flags and n_samples");
      }
      e = buf.getShort(p) & 0xFFFF;
      flags = buf.getInt(p + 4);
      long n = buf.getInt(p + 8) & 0xFFFFFFFFL;
      p += 12;
      if (n * 2 > limit - p) {
        return truncated(start, "waveform of " + n + " samples");
      }
      p += (int) (2 * n);
    }
    if (!CompassDescriptor.isTimestamp(ts)) {
      error = new CompassFormatException(file, windowStart + start + TIMESTAMP_OFFSET, CompassDescriptor.timestampError(ts)
          + ": not a CoMPASS record");
      return false;
    }
    board = b;
    channel = c;
    timestampPs = ts;
    energy = e;
    pos = p;
    records++;
    return true;
  }

  /**
   * The records of a file of one record length (a 2022 header without waveforms) in bulk, from the
   * window mapped now ({@link CompassSource#nextRecords}); none for other layouts, after an error, or
   * when no whole record is left in the window ({@link #next()} moves it).
   */
  @Override
  public int nextRecords(long beforePs, int max, CompassRecordColumns out) {
    if (fixedLength == 0 || error != null || max <= 0) {
      return 0;
    }
    int n = Math.min(max, (limit - pos) / fixedLength);
    if (n <= 0) {
      return 0;
    }
    n = out.decode(buf, pos, n, fixedLength, energyOffset, flagsOffset, beforePs);
    if (n > 0) {
      int last = n - 1;
      board = out.board(last);
      channel = out.channel(last);
      timestampPs = out.timestampPs[last];
      energy = out.energyAdc(last);
      flags = out.flags(last);
      pos += n * fixedLength;
      records += n;
    }
    return n;
  }

  /**
   * The record at {@code start} does not fit in what is mapped: a window from the record on, twice as
   * long as before, if the file goes on (a record with a long waveform); otherwise it is truncated.
   */
  private boolean truncated(int start, String what) {
    if (moreBeyondWindow() && !(start == 0 && limit >= Integer.MAX_VALUE - 8)) {
      map(windowStart + start, (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) windowBytes, 2L * limit)));
      return next();
    }
    error = new CompassFormatException(file, windowStart + start, "record truncated in its " + what + " (" + (limit - start)
        + " bytes left; " + (headered ? "header flags 0x" + Integer.toHexString(headerFlags) : "headerless layout") + ")");
    return false;
  }

  @Override
  public void close() {
    try {
      fileChannel.close(); // the mappings are released with their buffers
    } catch (IOException e) {
      // read-only: nothing to lose
    }
  }
}
