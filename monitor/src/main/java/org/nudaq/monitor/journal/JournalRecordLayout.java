package org.nudaq.monitor.journal;

/**
 * The layout of one journal record (docs/journal-and-replay.md), in one place for both of its readers and
 * its writer: the daemon writes and reads it (daq-server {@code journal}), the simulator serves a recorded
 * journal from it (hardware-sim {@code replay}). Each record is one Chronicle Queue excerpt of raw bytes,
 * little-endian, no field names, so appending a frame costs one copy; this class holds only the layout
 * (no Chronicle here).
 *
 * <pre>
 * offset 0  u8   type                (TYPE_*)
 * offset 1  i64  wallClockEpochMs    when the pipeline thread appended it
 * offset 9  ...  the record of the type:
 *   FRAME    i32 boardId, i64 framesLostBefore, i32 length, u8[length] the wire frame as validated
 *   LINK     i32 boardId, u8 up (1) / down (0)
 *   IDLE     i64 wallClockNanos      the monotonic time the merge's idleness check used
 *   REACTOR  u8 on, i64 effectiveTimeNs (data time)
 *   REACTOR_POWER  u8 state (0 off, 1 on, 2 unknown), i64 effectiveTimeNs, f64 powerFraction (of nominal)
 *   SESSION  utf8 configSource, utf8 configYaml   (utf8 = i32 byte length + bytes)
 *   RUN      u8 running, i64 runNumber   (written by versions before RUN_START/RUN_STOP; still read)
 *   RUN_START     i64 runNumber, utf8 comment, utf8 configSha256 (hex)
 *   RUN_STOP      i64 runNumber, utf8 comment, utf8 summaryJson (the run summary at the stop)
 *   LOGBOOK       u8 kind (0 RUN_START … 6 SLOW_CONTROL, the shift package's LogKind order), utf8 author, utf8 text
 *   SLOW_CONTROL  utf8 sensor, f64 value, i64 readingEpochMs (the reading's own time), i64 effectiveTimeNs (data time)
 *   CLOSED   the pipeline was finished cleanly; since session 10: i32 n, n × (i32 boardId, i64 lastSequence) — each
 *            board link's last sequence number passed on or counted lost at the stop (empty body before)
 *   CALIBRATION  a new energy calibration of one HPGe channel, applied right after this record
 *                (body: monitor.calibration.CalibrationCodec; issue 17)
 * </pre>
 *
 * A session is everything from a SESSION record to its CLOSED record (or to the end of the journal
 * after a crash). Stateless constants only.
 */
public final class JournalRecordLayout {
  private JournalRecordLayout() {}

  public static final int TYPE_FRAME = 1;
  public static final int TYPE_LINK = 2;
  public static final int TYPE_IDLE = 3;
  public static final int TYPE_REACTOR = 4;
  public static final int TYPE_SESSION = 5;
  public static final int TYPE_RUN = 6;
  public static final int TYPE_CLOSED = 7;
  /**
   * A reactor state with its thermal power; written instead of REACTOR only when the state is UNKNOWN
   * or the power is not the state's default (ON nominal, OFF 0), so journals of ON/OFF at nominal
   * power stay byte for byte as before and older readers skip (count) what they cannot read.
   */
  public static final int TYPE_REACTOR_POWER = 8;
  /** A run started through the control API (issue 18): number, the crew's comment, the configuration's SHA-256. */
  public static final int TYPE_RUN_START = 9;
  /** A run stopped: number, comment, the run summary as JSON text. */
  public static final int TYPE_RUN_STOP = 10;
  /** A logbook entry by an operator or the daemon (the run's own start/stop entries come from RUN_START/RUN_STOP). */
  public static final int TYPE_LOGBOOK = 11;
  /** A slow-control reading, with the data time it applies from. */
  public static final int TYPE_SLOW_CONTROL = 12;
  /** An online calibration applied to one HPGe channel from this point of the inputs on (issue 17). */
  public static final int TYPE_CALIBRATION = 13;

  public static final int TYPE_OFFSET = 0;
  public static final int WALL_CLOCK_OFFSET = 1;
  public static final int BODY_OFFSET = 9;

  /** FRAME: where the wire frame's bytes start. */
  public static final int FRAME_DATA_OFFSET = BODY_OFFSET + 4 + 8 + 4;

  /** The documented name of a record type, or {@code unknown(<code>)}. */
  public static String typeName(int type) {
    return switch (type) {
      case TYPE_FRAME -> "FRAME";
      case TYPE_LINK -> "LINK";
      case TYPE_IDLE -> "IDLE";
      case TYPE_REACTOR -> "REACTOR";
      case TYPE_SESSION -> "SESSION";
      case TYPE_RUN -> "RUN";
      case TYPE_CLOSED -> "CLOSED";
      case TYPE_REACTOR_POWER -> "REACTOR_POWER";
      case TYPE_RUN_START -> "RUN_START";
      case TYPE_RUN_STOP -> "RUN_STOP";
      case TYPE_LOGBOOK -> "LOGBOOK";
      case TYPE_SLOW_CONTROL -> "SLOW_CONTROL";
      case TYPE_CALIBRATION -> "CALIBRATION";
      default -> "unknown(" + type + ")";
    };
  }
}
