package org.nudaq.monitor.wire;

/** Why a frame was rejected by {@link FrameReader}. */
public enum WireError {
  /** Fewer bytes available than the header or the frame length needs. */
  TRUNCATED,
  /** First four bytes are not "NUDQ". */
  BAD_MAGIC,
  /** Version byte is not one this reader speaks. */
  UNSUPPORTED_VERSION,
  /** Type byte is not HELLO, EVENTS, STATUS or GOODBYE. */
  UNKNOWN_TYPE,
  /** frameLength below the minimum (header + CRC) or above {@link FrameDescriptor#MAX_FRAME_LENGTH}. */
  BAD_FRAME_LENGTH,
  /** Stored CRC-32C differs from the one computed over header and payload. */
  CRC_MISMATCH,
  /** A fixed-size frame type (HELLO, GOODBYE) has the wrong length. */
  BAD_PAYLOAD_LENGTH,
  /** The record count of an EVENTS or STATUS frame does not match its length. */
  COUNT_MISMATCH,
  /** A field has a value the protocol forbids (e.g. HELLO adcBits = 0). */
  INVALID_FIELD
}
