package org.nudaq.server.compass;

import static org.nudaq.server.compass.CompassDescriptor.*;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nudaq.monitor.config.CompassConfig;
import org.nudaq.monitor.config.CompassStreamConfig;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * Finds and keeps the record boundaries of the CoMPASS online TCP stream, which has none: records of
 * the declared fixed layout (the binary list file's records without waveforms, little-endian) follow
 * each other with no header, no length and no marker, and a client that connects after the start of
 * the acquisition starts reading at an arbitrary byte.
 *
 * <p><b>Alignment search.</b> With L the record length, every offset o in [0, L) is tried on a window of
 * W records starting at o. An offset is plausible when every one of the W records is: its (board,
 * channel) is one of {@code compass.channels}; its flags have only bits CoMPASS defines
 * ({@link #KNOWN_FLAGS}); its energy fits the mapped channel's ADC ({@code 2^adcBits − 1}); its time
 * stamp is not negative and, per channel, does not go back (unless flagged as a time-stamp reset or
 * roll-over) nor jump ahead by more than {@code maxTimeJumpSeconds}. Exactly one plausible offset: the
 * bytes before it are skipped and the decoder is locked. None, or more than one (undecidable): the
 * first L bytes are skipped and the search repeats on the next bytes, so it never loops on a stream
 * that cannot be aligned. A wrong offset passes one record's check with a probability of about
 * (mapped channels / 2^16) from the board and channel fields alone, so W = 64 makes a false lock
 * practically impossible.
 *
 * <p><b>Locked.</b> Every record is checked by the same rules against the previous record of its
 * channel before it is passed on; the first record that fails ends the lock (a {@link #lockLosses()}),
 * and the search starts again at that record. A single odd record therefore costs itself (its L bytes
 * are skipped by the next search, which then finds the same alignment); lost or inserted bytes cost at
 * most the records the search window has to move past.
 *
 * <p><b>Accounting.</b> Every byte taken from the input is either part of a decoded record
 * ({@link #decodedBytes()}) or skipped ({@link #skippedBytes()}); what is not taken yet stays in the
 * input. Allocation-free per record. Single-threaded (the link's event loop).
 */
public final class CompassStreamDecoder {
  /** Every flag bit CoMPASS defines (../shared/formats.md); a record with another bit set is implausible. */
  public static final int KNOWN_FLAGS = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x1000
      | 0x4000 | FLAG_PILEUP | FLAG_PLL_LOCK_LOSS | FLAG_OVER_TEMPERATURE | FLAG_ADC_SHUTDOWN;
  private static final int TIME_JUMP_FLAGS = FLAG_TIMESTAMP_RESET | FLAG_TIMESTAMP_ROLLOVER;

  private final int recordLength;
  private final int energyOffset;
  private final int flagsOffset;
  private final int window;
  private final long maxJumpPs;
  /** (board << 8 | channel) → index of the mapped channel, or −1. */
  private final int[] slotOf = new int[1 << 16];
  private final int[] maxEnergyOfSlot;
  /** Last time stamp of each mapped channel while locked, ps (Long.MIN_VALUE: none yet). */
  private final long[] lastPs;
  /** The same, scratch for one trial offset of the search. */
  private final long[] trialPs;
  private boolean locked;
  private long decodedBytes;
  private long skippedBytes;
  private long records;
  private long locks;
  private long lockLosses;

  /**
   * @param layout      the declared record layout ({@link CompassStreamConfig#headerFlags()})
   * @param config      the configuration: {@code compass.channels} give the plausible (board, channel)
   *                    pairs, the digitizer section their ADC range
   */
  public CompassStreamDecoder(CompassStreamConfig layout, NudaqConfig config) {
    int at = FIXED_PREFIX_LENGTH;
    energyOffset = layout.energy() ? at : -1;
    at += layout.energy() ? 2 : 0;
    at += layout.calibratedEnergy() ? 8 : 0;
    at += layout.energyShort() ? 2 : 0;
    flagsOffset = at;
    recordLength = at + 4;
    window = layout.windowRecords();
    maxJumpPs = Math.round(layout.maxTimeJumpSeconds() * 1e12);
    Arrays.fill(slotOf, -1);
    var map = config.compass().channels();
    maxEnergyOfSlot = new int[map.size()];
    for (int i = 0; i < map.size(); i++) {
      CompassConfig.ChannelMapping m = map.get(i);
      slotOf[(m.board() << 8) | m.channel()] = i;
      int bits = 16;
      for (var b : config.digitizer().boards()) {
        if (b.id() == m.toBoard()) {
          bits = b.adcBits();
        }
      }
      maxEnergyOfSlot[i] = (1 << bits) - 1;
    }
    lastPs = new long[map.size()];
    trialPs = new long[map.size()];
  }

  /** Bytes of one record of the declared layout. */
  public int recordLength() {
    return recordLength;
  }

  /**
   * Decodes what it can of {@code in} (from its reader index): records go to {@code sink}, skipped
   * bytes are counted; the reader index ends after the last byte used. Bytes of an incomplete record,
   * or fewer than a search needs, stay in {@code in} for the next call.
   */
  public void decode(ByteBuf in, CompassRecordSink sink) {
    // One view per read (not per record): ByteBuffer's absolute little-endian reads are intrinsics,
    // ByteBuf's are not on every buffer type.
    ByteBuffer view = in.nioBuffer(in.readerIndex(), in.readableBytes()).order(ByteOrder.LITTLE_ENDIAN);
    in.skipBytes(decode(view, 0, view.limit(), sink));
  }

  /**
   * As {@link #decode(ByteBuf, CompassRecordSink)} on {@code buf[offset, offset + length)} (a
   * little-endian buffer); returns the bytes used, decoded or skipped, from {@code offset}.
   */
  public int decode(ByteBuffer buf, int offset, int length, CompassRecordSink sink) {
    int p = offset;
    int end = offset + length;
    while (true) {
      if (!locked) {
        p = search(buf, p, end);
        if (!locked) {
          return p - offset;
        }
      }
      // The hot loop: settings in locals (the sink call would otherwise force reloading the fields).
      final int recordBytes = recordLength;
      final int energyAt = energyOffset;
      final int flagsAt = flagsOffset;
      final int[] slots = slotOf;
      final int[] maxEnergy = maxEnergyOfSlot;
      final long[] last = lastPs;
      final long maxJump = maxJumpPs;
      while (end - p >= recordBytes) {
        // Each field read once: board in the low, channel in the high half of the first u32.
        int boardChannel = buf.getInt(p + BOARD_OFFSET);
        long ts = buf.getLong(p + TIMESTAMP_OFFSET);
        int energy = energyAt >= 0 ? buf.getShort(p + energyAt) & 0xFFFF : 0;
        int flags = buf.getInt(p + flagsAt);
        int slot = (boardChannel & 0xFF00FF00) != 0 ? -1 : slots[((boardChannel & 0xFF) << 8) | (boardChannel >>> 16)];
        if (slot < 0 || (flags & ~KNOWN_FLAGS) != 0 || energy > maxEnergy[slot] || ts < 0
            || (last[slot] != Long.MIN_VALUE && (flags & TIME_JUMP_FLAGS) == 0 && (ts < last[slot] || ts - last[slot] > maxJump))) {
          locked = false;
          lockLosses++;
          break;
        }
        last[slot] = ts;
        sink.onRecord(boardChannel & 0xFFFF, boardChannel >>> 16, ts, energy, flags);
        p += recordBytes;
        records++;
        decodedBytes += recordBytes;
      }
      if (locked) {
        return p - offset;
      }
    }
  }

  /**
   * Tries to lock from {@code p}; returns where the first aligned record starts (locked) or where the
   * search stopped for want of bytes (not locked). Skips (and counts) what cannot be the start of an
   * aligned window.
   */
  private int search(ByteBuffer buf, int p, int end) {
    int need = window * recordLength + recordLength - 1;
    while (end - p >= need) {
      int found = -1;
      int plausible = 0;
      for (int o = 0; o < recordLength; o++) {
        if (windowPlausible(buf, p + o)) {
          found = o;
          plausible++;
        }
      }
      if (plausible == 1) {
        skippedBytes += found;
        Arrays.fill(lastPs, Long.MIN_VALUE);
        locked = true;
        locks++;
        return p + found;
      }
      p += recordLength;
      skippedBytes += recordLength;
    }
    return p;
  }

  private boolean windowPlausible(ByteBuffer buf, int at) {
    Arrays.fill(trialPs, Long.MIN_VALUE);
    for (int r = 0; r < window; r++) {
      int p = at + r * recordLength;
      int slot = check(buf, p, trialPs);
      if (slot < 0) {
        return false;
      }
      trialPs[slot] = buf.getLong(p + TIMESTAMP_OFFSET);
    }
    return true;
  }

  /** The mapped channel of the record at {@code p} if it is plausible after {@code last}, else −1. */
  private int check(ByteBuffer buf, int p, long[] last) {
    return plausible(buf.getInt(p + BOARD_OFFSET), buf.getLong(p + TIMESTAMP_OFFSET),
        energyOffset >= 0 ? buf.getShort(p + energyOffset) & 0xFFFF : 0, buf.getInt(p + flagsOffset), last);
  }

  /** The mapped channel of a record with these fields if it is plausible after {@code last}, else −1. */
  private int plausible(int boardChannel, long ts, int energy, int flags, long[] last) {
    if ((boardChannel & 0xFF00FF00) != 0) { // board or channel above 255
      return -1;
    }
    int slot = slotOf[((boardChannel & 0xFF) << 8) | (boardChannel >>> 16)];
    if (slot < 0 || (flags & ~KNOWN_FLAGS) != 0 || energy > maxEnergyOfSlot[slot] || ts < 0) {
      return -1;
    }
    long previous = last[slot];
    if (previous != Long.MIN_VALUE && (flags & TIME_JUMP_FLAGS) == 0 && (ts < previous || ts - previous > maxJumpPs)) {
      return -1;
    }
    return slot;
  }

  /** Whether the record alignment is known. */
  public boolean locked() {
    return locked;
  }

  /** Bytes passed on as records. */
  public long decodedBytes() {
    return decodedBytes;
  }

  /** Bytes taken from the input that were no plausible record. */
  public long skippedBytes() {
    return skippedBytes;
  }

  /** Records passed on. */
  public long records() {
    return records;
  }

  /** Times an alignment was found. */
  public long locks() {
    return locks;
  }

  /** Times a record failed the check while locked (corruption, or a record CoMPASS never meant). */
  public long lockLosses() {
    return lockLosses;
  }

  /** Counts bytes its caller had to drop unread (what was left of a record when a connection ended). */
  public void skipped(long bytes) {
    skippedBytes += bytes;
  }

  /** A new connection: the alignment and each channel's last time stamp are forgotten; the counters stay. */
  public void reset() {
    locked = false;
    Arrays.fill(lastPs, Long.MIN_VALUE);
  }
}
