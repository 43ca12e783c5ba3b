package org.nudaq.server.compass;

/**
 * The CAEN CoMPASS list-mode layouts we read (docs/journal-and-replay.md, ../shared/formats.md).
 * Binary files are little-endian.
 *
 * <pre>
 * 2022+ (CoMPASS v2): u16 header = 0xCAE0 | flags, flags bit0 energy, bit1 calibrated energy,
 *                      bit2 energy short, bit3 waveform; then records:
 *   u16 board, u16 channel, u64 timestamp (ps), [u16 energy], [f64 calibrated energy],
 *   [u16 energy short], u32 flags, [u8 waveform code, u32 n, u16 × n samples]
 * headerless (older): u16 board, u16 channel, u64 timestamp (ps), u16 energy, u16 energy short,
 *   u32 flags, u32 n, u16 × n samples (n = 0 without waveforms)
 * </pre>
 */
public final class CompassDescriptor {
  private CompassDescriptor() {}

  /**
   * The largest time stamp a record may have, ps: 2^63 − 2. 2^63 − 1 is the import's mark of a file without a next
   * record (CompassFeed's slabs end there), and u64 values of 2^63 and more do not fit the signed ps the import
   * computes with: a record with either is a format error (counted, one line), never fed nor dropped silently.
   */
  public static final long MAX_TIMESTAMP_PS = Long.MAX_VALUE - 1;

  /**
   * Whether {@code ps} (a record's time stamp, read as a signed i64) can be one: 0 to {@link #MAX_TIMESTAMP_PS}.
   * Two comparisons, the check of every record the binary readers take: C1 inlines it (≤ 35 bytecodes).
   */
  public static boolean isTimestamp(long ps) {
    return ps >= 0 && ps <= MAX_TIMESTAMP_PS;
  }

  /**
   * Why {@code ps} (a record's time stamp, read as a signed i64) cannot be one — "timestamp … ps is …", without the
   * file and offset, which the caller's CompassFormatException adds — or null when it can (0 to
   * {@link #MAX_TIMESTAMP_PS}). Allocates only for a bad one.
   */
  public static String timestampError(long ps) {
    if (isTimestamp(ps)) {
      return null;
    }
    return ps < 0 ? "timestamp " + Long.toUnsignedString(ps) + " ps is beyond 2^63 ps"
        : "timestamp " + ps + " ps is 2^63 - 1 ps, the import's end-of-file mark";
  }

  /**
   * Why the time stamp {@code ps} of CSV line {@code line} cannot be one (negative, or {@link #timestampError}'s
   * reasons), naming the line, or null when it can.
   */
  public static String csvTimestampError(long ps, String line) {
    if (isTimestamp(ps)) {
      return null;
    }
    return (ps < 0 ? "negative time stamp" : timestampError(ps)) + " in '" + line + "'";
  }

  public static final int HEADER_MASK = 0xFFF0;
  public static final int HEADER_MAGIC = 0xCAE0;
  public static final int HEADER_LENGTH = 2;
  public static final int HEADER_ENERGY = 0x1;
  public static final int HEADER_CALIBRATED_ENERGY = 0x2;
  public static final int HEADER_ENERGY_SHORT = 0x4;
  public static final int HEADER_WAVEFORM = 0x8;

  public static final int BOARD_OFFSET = 0;
  public static final int CHANNEL_OFFSET = 2;
  public static final int TIMESTAMP_OFFSET = 4;
  /** board + channel + timestamp. */
  public static final int FIXED_PREFIX_LENGTH = 12;

  /** CoMPASS record flags (u32). */
  public static final int FLAG_SATURATION = 0x80;
  public static final int FLAG_FAKE = 0x8;
  public static final int FLAG_TIMESTAMP_ROLLOVER = 0x2;
  public static final int FLAG_TIMESTAMP_RESET = 0x4;
  public static final int FLAG_TRIGGER_LOST = 0x20;
  /** Set on a record after every 1024 triggers the channel counted (formats.md). */
  public static final int FLAG_TRIGGERS_1024 = 0x100;
  public static final int FLAG_PILEUP = 0x8000;
  public static final int FLAG_PLL_LOCK_LOSS = 0x80000;
  public static final int FLAG_OVER_TEMPERATURE = 0x100000;
  public static final int FLAG_ADC_SHUTDOWN = 0x200000;
  /** Records that are no physics event (fake events, including the board alarms). */
  public static final int FAKE_MASK = FLAG_FAKE | FLAG_PLL_LOCK_LOSS | FLAG_OVER_TEMPERATURE | FLAG_ADC_SHUTDOWN;
}
