package org.nudaq.server.compass;

import static org.nudaq.server.compass.CompassDescriptor.BOARD_OFFSET;
import static org.nudaq.server.compass.CompassDescriptor.CHANNEL_OFFSET;
import static org.nudaq.server.compass.CompassDescriptor.TIMESTAMP_OFFSET;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A batch of consecutive CoMPASS records of one layout, read in bulk (issue 19: reading).
 * {@link CompassBinarySource#nextRecords} copies a slab of a mapped file of records of one length into
 * {@link #bytes} and checks their time stamps in one pass (the only column it fills: {@link #timestampPs});
 * the feed ({@link CompassFeed}) reads the other fields straight from the copied records with little-endian
 * array views, where it uses them, so each field is read once and nothing is copied twice. A replay reads its
 * records without the per-record calls of {@link CompassSource#next()} and the five accessors, each an
 * interface call through the channel's {@link CompassFileChain} and a bounds-checked buffer read (in the
 * C1-compiled code of a short replay, 2e6 records: ~0.1 s read one by one, ~0.03 s in bulk).
 *
 * <p>Record {@code k} of the batch starts at byte {@code k * }{@link #recordBytes}: board (u16) at
 * {@link CompassDescriptor#BOARD_OFFSET}, channel (u16) just after it, energy (u16, ADC channels) at
 * {@link #energyOffset} (−1: the file has none, energy 0), CoMPASS flags (u32) at {@link #flagsOffset}; its
 * time stamp (ps) is {@code timestampPs[k]}. One record from elsewhere (a source read record by record)
 * is set with {@link #set}, in a layout of its own. Reused batch after batch: allocated once, nothing per
 * record. Single-threaded (one owner).
 */
final class CompassRecordColumns {
  /**
   * Records per batch: ~20 KiB of 20-byte records, small enough to stay in the L1/L2 caches; the pipeline's
   * column entry is sized for as many events per call, so it is the pipeline's constant.
   */
  static final int CAPACITY = org.nudaq.server.pipeline.EventPipeline.COLUMN_EVENTS;
  /** The longest record without waveform: board, channel, time stamp, energy, calibrated energy, energy short, flags. */
  static final int MAX_RECORD_BYTES = 12 + 2 + 8 + 2 + 4;
  /** {@link #set}'s layout: board, channel, time stamp, energy, flags. */
  private static final int SET_ENERGY_OFFSET = TIMESTAMP_OFFSET + 8;
  private static final int SET_FLAGS_OFFSET = SET_ENERGY_OFFSET + 2;
  private static final int SET_RECORD_BYTES = SET_FLAGS_OFFSET + 4;

  /** Little-endian views of {@link #bytes} (the feed reads the records with them). */
  static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The records, as read. */
  final byte[] bytes = new byte[CAPACITY * MAX_RECORD_BYTES];
  /** Their time stamps, ps. */
  final long[] timestampPs = new long[CAPACITY];
  /** The length of one record in {@link #bytes}. */
  int recordBytes = SET_RECORD_BYTES;
  /** Where a record's energy is, or −1 (none: energy 0). */
  int energyOffset = SET_ENERGY_OFFSET;
  /** Where a record's flags are. */
  int flagsOffset = SET_FLAGS_OFFSET;

  /**
   * Copies up to {@code n} records of {@code recordBytes} bytes each from {@code buf} at {@code at}, stopping
   * before the first whose time stamp is not in [0, {@code beforePs}) (a negative one is an error the
   * per-record reader reports).
   *
   * @param energyOffset the energy's offset in a record, or −1 (none: energy 0)
   * @param flagsOffset  the flags' offset in a record
   * @return the records read (0 to that − 1)
   */
  int decode(ByteBuffer buf, int at, int n, int recordBytes, int energyOffset, int flagsOffset, long beforePs) {
    int count = Math.min(n, CAPACITY);
    buf.get(at, bytes, 0, count * recordBytes);
    this.recordBytes = recordBytes;
    this.energyOffset = energyOffset;
    this.flagsOffset = flagsOffset;
    byte[] b = bytes;
    long[] stamps = timestampPs; // in a local: C1 (the only compiler of a short replay) reloads a field at every use
    int i = 0;
    for (int p = TIMESTAMP_OFFSET; i < count; i++, p += recordBytes) {
      long ts = (long) LONG.get(b, p);
      if (ts < 0 || ts >= beforePs) {
        break;
      }
      stamps[i] = ts;
    }
    return i;
  }

  /** Makes the batch the one record given (record 0). */
  void set(int board, int channel, long timestampPs, int energyAdc, int flags) {
    recordBytes = SET_RECORD_BYTES;
    energyOffset = SET_ENERGY_OFFSET;
    flagsOffset = SET_FLAGS_OFFSET;
    INT.set(bytes, BOARD_OFFSET, (board & 0xFFFF) | channel << 16);
    LONG.set(bytes, TIMESTAMP_OFFSET, timestampPs);
    SHORT.set(bytes, SET_ENERGY_OFFSET, (short) energyAdc);
    INT.set(bytes, SET_FLAGS_OFFSET, flags);
    this.timestampPs[0] = timestampPs;
  }

  /** Record {@code k}'s board. */
  int board(int k) {
    return (short) SHORT.get(bytes, k * recordBytes + BOARD_OFFSET) & 0xFFFF;
  }

  /** Record {@code k}'s channel. */
  int channel(int k) {
    return (short) SHORT.get(bytes, k * recordBytes + CHANNEL_OFFSET) & 0xFFFF;
  }

  /** Record {@code k}'s energy, ADC channels (0 when the file has none). */
  int energyAdc(int k) {
    return energyOffset >= 0 ? (short) SHORT.get(bytes, k * recordBytes + energyOffset) & 0xFFFF : 0;
  }

  /** Record {@code k}'s CoMPASS flags. */
  int flags(int k) {
    return (int) INT.get(bytes, k * recordBytes + flagsOffset);
  }
}
