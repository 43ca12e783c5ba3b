package org.nudaq.server.checkpoint;

/**
 * The layout of a checkpoint file (docs/journal-and-replay.md), little-endian:
 *
 * <pre>
 * offset  0  u8[8]  magic               "NUDAQSNP"
 * offset  8  u16    formatVersion       {@link #FORMAT_VERSION}
 * offset 10  u16    headerLength        {@link #HEADER_LENGTH}: where the payload starts
 * offset 12  u32    reserved            0
 * offset 16  i64    sessionStartIndex   journal index of the session's SESSION record
 * offset 24  i64    sessionStartEpochMs that record's wall-clock time, epoch ms
 * offset 32  i64    journalIndex        the last journal record applied to the state
 * offset 40  i64    takenAtEpochMs      when the state was taken, epoch ms
 * offset 48  u8[32] configSha256        SHA-256 of the configuration text the pipeline ran with
 * offset 80  i64    payloadLength       n
 * offset 88  u8[n]  payload             session progress ('PROG'), pipeline state ('PIPE' …), then with the
 *                                      online calibration its state ('CALS', {@code calibration.CalibrationState})
 * offset 88+n u32   crc32c              CRC-32C of bytes [0, 88 + n)
 * </pre>
 *
 * The payload's sections start with 4-byte ASCII tags; arrays are an i32 length then the elements
 * ({@code pipeline.StateWriter}). Stateless constants only.
 */
public final class CheckpointFormat {
  private CheckpointFormat() {}

  public static final byte[] MAGIC = {'N', 'U', 'D', 'A', 'Q', 'S', 'N', 'P'};
  /**
   * Raise with any change of the header or the payload layout; older files are then refused, not misread
   * (2: the online calibration's state after the pipeline's).
   */
  public static final int FORMAT_VERSION = 2;

  public static final int MAGIC_OFFSET = 0;
  public static final int VERSION_OFFSET = 8;
  public static final int HEADER_LENGTH_OFFSET = 10;
  public static final int RESERVED_OFFSET = 12;
  public static final int SESSION_START_INDEX_OFFSET = 16;
  public static final int SESSION_START_EPOCH_MS_OFFSET = 24;
  public static final int JOURNAL_INDEX_OFFSET = 32;
  public static final int TAKEN_AT_EPOCH_MS_OFFSET = 40;
  public static final int CONFIG_SHA256_OFFSET = 48;
  public static final int CONFIG_SHA256_LENGTH = 32;
  public static final int PAYLOAD_LENGTH_OFFSET = 80;
  public static final int HEADER_LENGTH = 88;
  public static final int CRC_LENGTH = 4;

  /** File names: {@code state-<journal index, 16 hex digits>.snap}, so names sort by journal index. */
  public static final String FILE_PREFIX = "state-";
  public static final String FILE_SUFFIX = ".snap";
  /** Written first, then renamed: a file with this suffix is never a complete checkpoint. */
  public static final String TEMP_SUFFIX = ".tmp";

  /** The file name of the checkpoint at a journal index. */
  public static String fileName(long journalIndex) {
    return FILE_PREFIX + String.format("%016x", journalIndex) + FILE_SUFFIX;
  }
}
