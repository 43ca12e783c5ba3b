package org.nudaq.server.x27xx;

/**
 * The raw data of CAEN's second-generation digitizers (x2730/x2740/x2745, DPP-PHA and DPP-PSD), as the
 * open Dig2 library's {@code raw} endpoint delivers it, field by field as written out in the public
 * SOLARIS_DAQ repository's {@code format_RAW.md} (goluckyryan/SOLARIS_DAQ). One word is 64 bits,
 * <b>big-endian</b>; bits are numbered 63 (most significant) to 0.
 *
 * <pre>
 * aggregate header  [63:60] 0x2 | [59] flush | [58:57] reserved | [56] board fail | [55:32] aggregate counter
 *                   | [31:0] words in the aggregate, header included
 * special event     [63:60] 0x3 | [59:56] subtype (0x0 start run, 0x2 stop run) | [31:0] words, this one included
 *   start run (4 words): word 1 acquisition width / n traces / decimation, word 2 channel mask [31:0],
 *                        word 3 channel mask [63:32]
 *   stop run (3 words):  word 1 run-end time stamp [47:0] (8 ns), word 2 total dead time [47:0] (8 ns)
 * hit, word 0       [63] 0 | [62:56] channel | [55] statistics event | [54] reserved (s.e. bit 0) | [53:48] reserved
 *                   | [47:0] time stamp (8 ns)
 * hit, word 1       [63] last header word | [62] waveform | [61:50] low-priority flags | [49:42] high-priority flags
 *                   | [41:26] energy short (PSD) | [25:16] fine time stamp (7.8125 ps) | [15:0] energy
 * extra words       while the previous header word's bit 63 is 0; with a waveform the last one (bit 63 = 1) is
 *                   the waveform extra word, then a waveform header word ([31:0] sample words), then the
 *                   sample words (two 32-bit samples each)
 * single-word hit   [63] 1 | [62:56] channel | [55:48] high-priority flags | [47:16] time stamp, low 32 bits | [15:0] energy
 * statistics event  word 0 as a hit with bit 55 set, [47:0] real time (8 ns); word 1 meaningless;
 *                   extra word 0 [47:0] dead time (8 ns); extra word 1 [47:24] trigger count, [23:0] saved events
 * </pre>
 *
 * <p>A {@code .raw} file as SOLARIS_DAQ writes it is a sequence of blobs, each a u16 identifier
 * (0xAA0A DPP-PHA, 0xAA1A DPP-PSD) and a u64 blob size in bytes, then the blob. The document does not
 * state the byte order of these two fields; they are written from host memory on x86, so they are
 * read little-endian here (an identifier that is neither value is reported with its offset).
 *
 * <p>Stateless constants; thread-safe.
 */
public final class X27xxDescriptor {
  private X27xxDescriptor() {}

  public static final int WORD_BYTES = 8;

  public static final int FORMAT_SHIFT = 60;
  public static final int FORMAT_AGGREGATE = 0x2;
  public static final int FORMAT_SPECIAL = 0x3;

  public static final int AGGREGATE_FLUSH_BIT = 59;
  public static final int AGGREGATE_BOARD_FAIL_BIT = 56;
  public static final int AGGREGATE_COUNTER_SHIFT = 32;
  public static final long AGGREGATE_COUNTER_MASK = 0xFF_FFFFL;
  public static final long WORD_COUNT_MASK = 0xFFFF_FFFFL;

  public static final int SPECIAL_SUBTYPE_SHIFT = 56;
  public static final int SPECIAL_START_RUN = 0x0;
  public static final int SPECIAL_STOP_RUN = 0x2;
  public static final int START_RUN_WORDS = 4;
  public static final int STOP_RUN_WORDS = 3;

  public static final int LAST_WORD_BIT = 63;
  public static final int CHANNEL_SHIFT = 56;
  public static final long CHANNEL_MASK = 0x7F;
  public static final int STATISTICS_BIT = 55;
  public static final long TIMESTAMP_MASK = 0xFFFF_FFFF_FFFFL;

  public static final int WAVEFORM_BIT = 62;
  public static final int FLAGS_LOW_SHIFT = 50;
  public static final long FLAGS_LOW_MASK = 0xFFF;
  public static final int FLAGS_HIGH_SHIFT = 42;
  public static final long FLAGS_HIGH_MASK = 0xFF;
  public static final int ENERGY_SHORT_SHIFT = 26;
  public static final int FINE_TIMESTAMP_SHIFT = 16;
  public static final long FINE_TIMESTAMP_MASK = 0x3FF;
  public static final long ENERGY_MASK = 0xFFFF;

  public static final int SINGLE_FLAGS_HIGH_SHIFT = 48;
  public static final int SINGLE_TIMESTAMP_SHIFT = 16;
  public static final long SINGLE_TIMESTAMP_MASK = 0xFFFF_FFFFL;

  public static final int STATISTICS_WORDS = 4;
  public static final int TRIGGER_COUNT_SHIFT = 24;
  public static final long COUNTER_MASK = 0xFF_FFFFL;

  /** High-priority flags (8 bits). */
  public static final int FLAG_HIGH_PILEUP = 0x01;
  public static final int FLAG_HIGH_SATURATION = 0x04;
  public static final int FLAG_HIGH_POST_SATURATION = 0x08;
  public static final int FLAG_HIGH_CHARGE_OVERFLOW = 0x10;
  public static final int FLAG_HIGH_SCA_SELECTED = 0x20;
  public static final int FLAG_HIGH_FINE_TIMESTAMP_VALID = 0x40;
  /** Low-priority flags (12 bits). */
  public static final int FLAG_LOW_SELF_TRIGGER = 0x040;

  /** Time stamp, real time and dead time unit, ps (8 ns). */
  public static final long TIME_UNIT_PS = 8_000;
  /** The fine time stamp's unit is 7.8125 ps = 1000/128 ps. */
  public static final int FINE_UNITS_PER_NS = 128;

  /** .raw file blob identifiers. */
  public static final int BLOB_PHA = 0xAA0A;
  public static final int BLOB_PSD = 0xAA1A;
  public static final int BLOB_HEADER_BYTES = 10;

  /** A time stamp with its fine part as picoseconds: ts·8000 + fine·1000/128. */
  public static long picoseconds(long timestamp8ns, int fine) {
    return timestamp8ns * TIME_UNIT_PS + (fine * 1000L) / FINE_UNITS_PER_NS;
  }
}
