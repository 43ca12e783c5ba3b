package org.nudaq.monitor.wire;

/**
 * Byte layout of the nudaq digitizer wire protocol, version 1: every field's offset and length in
 * one place (the single source of truth for {@link FrameWriter}, {@link FrameReader} and the Netty
 * encoder of the simulator). The protocol is specified byte by byte in {@code docs/wire-protocol.md}.
 *
 * <p>All multi-byte fields are <b>little-endian</b>. All integers are unsigned on the wire; Java
 * {@code long}s that carry u64 fields (timestamps, counters, sequence) hold the raw 64 bits.
 * Offsets named {@code *_OFFSET} are counted from the first byte of the frame, except the
 * {@code EVENT_*} and {@code CHANNEL_*} offsets, which are counted from the start of one record.
 *
 * <pre>
 * frame   = header (24 bytes) | payload (type specific) | CRC-32C (4 bytes)
 * header  = magic u32 | version u8 | type u8 | headerFlags u16 | frameLength u32
 *           | boardId u16 | reserved u16 | sequence u64
 * </pre>
 *
 * <p>Stateless constants only; thread-safe.
 */
public final class FrameDescriptor {

  /** "NUDQ" read as a little-endian u32: bytes on the wire are 4E 55 44 51. */
  public static final int MAGIC = 0x5144554E;
  /** The only protocol version this code reads and writes. */
  public static final int VERSION = 1;

  // ---- frame types (header byte 5)
  public static final int TYPE_HELLO = 1;
  public static final int TYPE_EVENTS = 2;
  public static final int TYPE_STATUS = 3;
  public static final int TYPE_GOODBYE = 4;

  // ---- header
  public static final int MAGIC_OFFSET = 0;
  public static final int VERSION_OFFSET = 4;
  public static final int TYPE_OFFSET = 5;
  /** Reserved in version 1: writers write 0, readers ignore. */
  public static final int HEADER_FLAGS_OFFSET = 6;
  /** Whole frame length in bytes, header and CRC included. */
  public static final int FRAME_LENGTH_OFFSET = 8;
  public static final int BOARD_ID_OFFSET = 12;
  /** Reserved in version 1: writers write 0, readers ignore. */
  public static final int HEADER_RESERVED_OFFSET = 14;
  public static final int SEQUENCE_OFFSET = 16;
  public static final int HEADER_LENGTH = 24;
  public static final int PAYLOAD_OFFSET = HEADER_LENGTH;
  /**
   * Bytes needed to validate magic, version, type and length before the rest of the frame has
   * arrived (see {@link FrameReader#validatePrefix}).
   */
  public static final int PREFIX_LENGTH = FRAME_LENGTH_OFFSET + 4;

  // ---- trailer
  public static final int CRC_LENGTH = 4;
  public static final int MIN_FRAME_LENGTH = HEADER_LENGTH + CRC_LENGTH;
  /** Hard upper bound on frameLength (1 MiB): a reader rejects anything longer without buffering it. */
  public static final int MAX_FRAME_LENGTH = 1 << 20;

  // ---- parameters for Netty's LengthFieldBasedFrameDecoder (ByteOrder.LITTLE_ENDIAN)
  public static final int LENGTH_FIELD_OFFSET = FRAME_LENGTH_OFFSET;
  public static final int LENGTH_FIELD_LENGTH = 4;
  /** The length field counts the whole frame, so subtract what precedes and includes it. */
  public static final int LENGTH_ADJUSTMENT = -(LENGTH_FIELD_OFFSET + LENGTH_FIELD_LENGTH);
  public static final int INITIAL_BYTES_TO_STRIP = 0;

  // ---- HELLO payload (frame offsets)
  public static final int HELLO_BOARD_TIME_OFFSET = PAYLOAD_OFFSET; // u64 ticks
  public static final int HELLO_TICK_LENGTH_PS_OFFSET = PAYLOAD_OFFSET + 8; // u32 ps
  public static final int HELLO_STATUS_PERIOD_MS_OFFSET = PAYLOAD_OFFSET + 12; // u32 ms
  public static final int HELLO_FIRMWARE_MAJOR_OFFSET = PAYLOAD_OFFSET + 16; // u16
  public static final int HELLO_FIRMWARE_MINOR_OFFSET = PAYLOAD_OFFSET + 18; // u16
  public static final int HELLO_CHANNEL_COUNT_OFFSET = PAYLOAD_OFFSET + 20; // u16
  public static final int HELLO_ADC_BITS_OFFSET = PAYLOAD_OFFSET + 22; // u8
  public static final int HELLO_CAPABILITIES_OFFSET = PAYLOAD_OFFSET + 23; // u8
  public static final int HELLO_PAYLOAD_LENGTH = 24;
  public static final int HELLO_FRAME_LENGTH = HEADER_LENGTH + HELLO_PAYLOAD_LENGTH + CRC_LENGTH;
  /** HELLO capability bit: the board is the nudaq simulator (STATUS reactorState is meaningful). */
  public static final int CAPABILITY_SIMULATOR = 0x01;

  // ---- EVENTS payload
  public static final int EVENTS_COUNT_OFFSET = PAYLOAD_OFFSET; // u32
  public static final int EVENTS_RESERVED_OFFSET = PAYLOAD_OFFSET + 4; // u32, keeps records 8-aligned
  public static final int EVENTS_FIRST_RECORD_OFFSET = PAYLOAD_OFFSET + 8;
  public static final int EVENT_TIMESTAMP_OFFSET = 0; // u64 ticks
  public static final int EVENT_CHANNEL_OFFSET = 8; // u16
  public static final int EVENT_ENERGY_OFFSET = 10; // u16 ADC units
  public static final int EVENT_FLAGS_OFFSET = 12; // u16, see EventFlags
  public static final int EVENT_LOST_TRIGGERS_OFFSET = 14; // u16, saturating (FrameReader reads bytes 8-15 as one u64)
  public static final int EVENT_RECORD_LENGTH = 16;
  public static final int EVENTS_FIXED_LENGTH = EVENTS_FIRST_RECORD_OFFSET + CRC_LENGTH;
  public static final int MAX_EVENTS_PER_FRAME =
      (MAX_FRAME_LENGTH - EVENTS_FIXED_LENGTH) / EVENT_RECORD_LENGTH;

  // ---- STATUS payload
  public static final int STATUS_BOARD_TIME_OFFSET = PAYLOAD_OFFSET; // u64 ticks
  public static final int STATUS_REAL_TIME_OFFSET = PAYLOAD_OFFSET + 8; // u64 ticks
  public static final int STATUS_CHANNEL_COUNT_OFFSET = PAYLOAD_OFFSET + 16; // u16
  public static final int STATUS_REACTOR_STATE_OFFSET = PAYLOAD_OFFSET + 18; // u8
  public static final int STATUS_RESERVED_OFFSET = PAYLOAD_OFFSET + 19; // u8 reserved
  /** Reactor thermal power in millionths of nominal; 0 = not reported (formerly reserved, so old writers send 0). */
  public static final int STATUS_REACTOR_POWER_OFFSET = PAYLOAD_OFFSET + 20; // u32 ppm
  public static final int STATUS_FIRST_CHANNEL_OFFSET = PAYLOAD_OFFSET + 24;
  public static final int CHANNEL_CHANNEL_OFFSET = 0; // u16
  public static final int CHANNEL_RESERVED_OFFSET = 2; // u16 + u32 reserved
  public static final int CHANNEL_LIVE_TIME_OFFSET = 8; // u64 ticks
  public static final int CHANNEL_DEAD_TIME_OFFSET = 16; // u64 ticks
  public static final int CHANNEL_ACCEPTED_TRIGGERS_OFFSET = 24; // u64 count
  public static final int CHANNEL_LOST_TRIGGERS_OFFSET = 32; // u64 count
  public static final int CHANNEL_RECORD_LENGTH = 40;
  public static final int STATUS_FIXED_LENGTH = STATUS_FIRST_CHANNEL_OFFSET + CRC_LENGTH;
  public static final int MAX_STATUS_CHANNELS =
      (MAX_FRAME_LENGTH - STATUS_FIXED_LENGTH) / CHANNEL_RECORD_LENGTH;
  /** STATUS reactorState values (simulator-only diagnostic; real hardware sends UNKNOWN). */
  public static final int REACTOR_OFF = 0;
  public static final int REACTOR_ON = 1;
  public static final int REACTOR_UNKNOWN = 0xFF;

  // ---- GOODBYE payload
  public static final int GOODBYE_REASON_OFFSET = PAYLOAD_OFFSET; // u32
  public static final int GOODBYE_RESERVED_OFFSET = PAYLOAD_OFFSET + 4; // u32
  public static final int GOODBYE_FRAME_LENGTH = PAYLOAD_OFFSET + 8 + CRC_LENGTH;
  public static final int GOODBYE_NORMAL_SHUTDOWN = 0;
  public static final int GOODBYE_RUN_STOPPED = 1;

  private FrameDescriptor() {}

  /** Frame length in bytes of an EVENTS frame with {@code eventCount} records. */
  public static int eventsFrameLength(int eventCount) {
    return EVENTS_FIXED_LENGTH + eventCount * EVENT_RECORD_LENGTH;
  }

  /** Frame length in bytes of a STATUS frame with {@code channelCount} channel records. */
  public static int statusFrameLength(int channelCount) {
    return STATUS_FIXED_LENGTH + channelCount * CHANNEL_RECORD_LENGTH;
  }

  /** Name of a frame type for messages; {@code "UNKNOWN"} for anything else. */
  public static String typeName(int type) {
    switch (type) {
      case TYPE_HELLO:
        return "HELLO";
      case TYPE_EVENTS:
        return "EVENTS";
      case TYPE_STATUS:
        return "STATUS";
      case TYPE_GOODBYE:
        return "GOODBYE";
      default:
        return "UNKNOWN";
    }
  }
}
