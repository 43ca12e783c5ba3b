package org.nudaq.server.compass;

import static org.nudaq.server.compass.CompassDescriptor.BOARD_OFFSET;
import static org.nudaq.server.compass.CompassDescriptor.TIMESTAMP_OFFSET;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A batch of consecutive CoMPASS records of one fixed length, decoded in bulk into primitive columns
 * (issue 19: reading). {@link CompassBinarySource#nextRecords} copies a slab of a mapped file into
 * {@link #bytes} and decodes the fields with little-endian array views: a replay reads its records
 * without the per-record calls of {@link CompassSource#next()} and the five accessors, each an
 * interface call through the channel's {@link CompassFileChain} and a bounds-checked buffer read (in
 * the C1-compiled code of a short replay, 2e6 records: ~0.1 s read one by one, ~0.03 s in bulk).
 *
 * <p>Column {@code i} holds the {@code i}-th record of the batch: board, channel, time stamp (ps),
 * energy (ADC channels; 0 when the file has none) and CoMPASS flags, as {@link CompassSource} gives
 * them. Reused batch after batch: allocated once, nothing per record. Single-threaded (one owner).
 */
final class CompassRecordColumns {
  /** Records per batch: ~20 KiB of 20-byte records, small enough to stay in the L1/L2 caches. */
  static final int CAPACITY = 1024;
  /** The longest record without waveform: board, channel, time stamp, energy, calibrated energy, energy short, flags. */
  static final int MAX_RECORD_BYTES = 12 + 2 + 8 + 2 + 4;

  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  final int[] board = new int[CAPACITY];
  final int[] channel = new int[CAPACITY];
  final long[] timestampPs = new long[CAPACITY];
  final int[] energyAdc = new int[CAPACITY];
  final int[] flags = new int[CAPACITY];
  /** The raw records being decoded. */
  private final byte[] bytes = new byte[CAPACITY * MAX_RECORD_BYTES];

  /**
   * Decodes up to {@code n} records of {@code recordBytes} bytes each from {@code buf} at {@code at}
   * into the columns, stopping before the first whose time stamp is not in [0, {@code beforePs}) (a
   * negative one is an error the per-record reader reports).
   *
   * @param energyOffset the energy's offset in a record, or −1 (none: energy 0)
   * @param flagsOffset  the flags' offset in a record
   * @return the records decoded (columns 0 to that − 1)
   */
  int decode(ByteBuffer buf, int at, int n, int recordBytes, int energyOffset, int flagsOffset, long beforePs) {
    int count = Math.min(n, CAPACITY);
    buf.get(at, bytes, 0, count * recordBytes);
    byte[] b = bytes;
    // The columns in locals: C1 (the only compiler of a short replay) reloads a field at every use.
    long[] stamps = timestampPs;
    int[] boards = board;
    int[] channels = channel;
    int[] energies = energyAdc;
    int[] flagColumn = flags;
    int i = 0;
    for (int p = 0; i < count; i++, p += recordBytes) {
      long ts = (long) LONG.get(b, p + TIMESTAMP_OFFSET);
      if (ts < 0 || ts >= beforePs) {
        break;
      }
      int boardAndChannel = (int) INT.get(b, p + BOARD_OFFSET); // u16 board, then u16 channel (CHANNEL_OFFSET): one read
      stamps[i] = ts;
      boards[i] = boardAndChannel & 0xFFFF;
      channels[i] = boardAndChannel >>> 16;
      energies[i] = energyOffset >= 0 ? (short) SHORT.get(b, p + energyOffset) & 0xFFFF : 0;
      flagColumn[i] = (int) INT.get(b, p + flagsOffset);
    }
    return i;
  }
}
