package org.nudaq.monitor.wire;

import static org.nudaq.monitor.wire.FrameDescriptor.*;

import java.nio.ByteBuffer;

/**
 * Validates and decodes one complete protocol-version-1 frame from a {@link ByteBuffer} (heap or
 * direct; wrap a {@code byte[]} with {@link ByteBuffer#wrap(byte[])}) and hands its contents to a
 * {@link FrameVisitor}. Checks, in this order: magic, version, type, length bounds, enough bytes,
 * CRC-32C, then the type's length/count consistency and field ranges. Nothing reaches the visitor
 * unless every check passed; a failed check throws {@link WireFormatException} with a
 * {@link WireError} reason and the field's offset in hex. Decoding allocates nothing per event.
 *
 * <p>For a Netty pipeline: frame with {@code LengthFieldBasedFrameDecoder(LITTLE_ENDIAN,
 * MAX_FRAME_LENGTH, LENGTH_FIELD_OFFSET, LENGTH_FIELD_LENGTH, LENGTH_ADJUSTMENT,
 * INITIAL_BYTES_TO_STRIP, true)}, optionally reject garbage early with {@link #validatePrefix} once
 * {@link FrameDescriptor#PREFIX_LENGTH} bytes have arrived, then pass
 * {@code frame.nioBuffer()} to {@link #decode(ByteBuffer, int, int, FrameVisitor)}.
 *
 * <p>The buffer's position, limit and byte order are not changed. Not thread-safe: one reader per
 * thread (it reuses one CRC engine).
 */
public final class FrameReader {

  private final Crc crc = new Crc();

  /**
   * Checks the first {@link FrameDescriptor#PREFIX_LENGTH} bytes of a frame (magic, version, type,
   * length bounds) before the rest has arrived, so a stream of garbage is rejected at once instead
   * of after buffering up to 1 MiB.
   *
   * @return the frame length announced by the header, in bytes
   * @throws WireFormatException if any of those fields is invalid or fewer than PREFIX_LENGTH bytes
   *     lie below the buffer's limit
   */
  public static int validatePrefix(ByteBuffer buffer, int offset) {
    if (buffer.limit() - offset < PREFIX_LENGTH) {
      throw new WireFormatException(WireError.TRUNCATED, offset,
          "truncated frame: need " + PREFIX_LENGTH + " header bytes at offset " + hex(offset)
              + ", have " + (buffer.limit() - offset));
    }
    int magic = LittleEndian.i32(buffer, offset + MAGIC_OFFSET);
    if (magic != MAGIC) {
      throw new WireFormatException(WireError.BAD_MAGIC, offset + MAGIC_OFFSET,
          String.format("bad magic 0x%08X at offset %s (expected 0x%08X \"NUDQ\")",
              magic, hex(offset + MAGIC_OFFSET), MAGIC));
    }
    int version = LittleEndian.u8(buffer, offset + VERSION_OFFSET);
    if (version != VERSION) {
      throw new WireFormatException(WireError.UNSUPPORTED_VERSION, offset + VERSION_OFFSET,
          "unsupported version " + version + " at offset " + hex(offset + VERSION_OFFSET)
              + " (this reader speaks version " + VERSION + ")");
    }
    int type = LittleEndian.u8(buffer, offset + TYPE_OFFSET);
    if (type < TYPE_HELLO || type > TYPE_GOODBYE) {
      throw new WireFormatException(WireError.UNKNOWN_TYPE, offset + TYPE_OFFSET,
          String.format("unknown frame type 0x%02X at offset %s (known: 0x01 HELLO, 0x02 EVENTS,"
              + " 0x03 STATUS, 0x04 GOODBYE)", type, hex(offset + TYPE_OFFSET)));
    }
    long length = LittleEndian.u32(buffer, offset + FRAME_LENGTH_OFFSET);
    if (length < MIN_FRAME_LENGTH || length > MAX_FRAME_LENGTH) {
      throw new WireFormatException(WireError.BAD_FRAME_LENGTH, offset + FRAME_LENGTH_OFFSET,
          typeName(type) + " frame length " + length + " at offset " + hex(offset + FRAME_LENGTH_OFFSET)
              + " outside " + MIN_FRAME_LENGTH + ".." + MAX_FRAME_LENGTH);
    }
    return (int) length;
  }

  /** Decodes the frame starting at {@code buffer.position()}; see {@link #decode(ByteBuffer, int, int, FrameVisitor)}. */
  public int decode(ByteBuffer buffer, FrameVisitor visitor) {
    return decode(buffer, buffer.position(), buffer.remaining(), visitor);
  }

  /**
   * Validates and decodes the frame that starts at absolute index {@code offset}.
   *
   * @param available bytes readable from {@code offset} (the frame may be followed by others)
   * @return the frame's length in bytes (where the next frame starts, relative to {@code offset})
   * @throws WireFormatException if the frame is invalid; the visitor has then not been called
   */
  public int decode(ByteBuffer buffer, int offset, int available, FrameVisitor visitor) {
    if (available < PREFIX_LENGTH || buffer.limit() - offset < available) {
      throw new WireFormatException(WireError.TRUNCATED, offset,
          "truncated frame: need at least " + PREFIX_LENGTH + " bytes at offset " + hex(offset)
              + ", have " + Math.min(available, buffer.limit() - offset));
    }
    int length = validatePrefix(buffer, offset);
    int type = LittleEndian.u8(buffer, offset + TYPE_OFFSET);
    int boardId = LittleEndian.u16(buffer, offset + BOARD_ID_OFFSET);
    long sequence = LittleEndian.i64(buffer, offset + SEQUENCE_OFFSET);
    if (available < length) {
      throw new WireFormatException(WireError.TRUNCATED, offset,
          "truncated " + typeName(type) + " frame at offset " + hex(offset) + ": length field says "
              + length + " bytes, have " + available + context(boardId, sequence));
    }
    int crcOffset = offset + length - CRC_LENGTH;
    int stored = LittleEndian.i32(buffer, crcOffset);
    int computed = crc.crc32c(buffer, offset, length - CRC_LENGTH);
    if (stored != computed) {
      throw new WireFormatException(WireError.CRC_MISMATCH, crcOffset,
          String.format("CRC mismatch: computed 0x%08X, frame says 0x%08X at offset %s (%s frame"
              + " at offset %s, length=%d%s)", computed, stored, hex(crcOffset), typeName(type),
              hex(offset), length, context(boardId, sequence)));
    }
    switch (type) {
      case TYPE_HELLO:
        decodeHello(buffer, offset, length, boardId, sequence, visitor);
        break;
      case TYPE_EVENTS:
        decodeEvents(buffer, offset, length, boardId, sequence, visitor);
        break;
      case TYPE_STATUS:
        decodeStatus(buffer, offset, length, boardId, sequence, visitor);
        break;
      default: // TYPE_GOODBYE; validatePrefix rejected everything else
        requireExactLength("GOODBYE", GOODBYE_FRAME_LENGTH, buffer, offset, length, boardId, sequence);
        visitor.onGoodbye(boardId, sequence, LittleEndian.i32(buffer, offset + GOODBYE_REASON_OFFSET));
        break;
    }
    return length;
  }

  private static void decodeHello(
      ByteBuffer b, int offset, int length, int boardId, long sequence, FrameVisitor visitor) {
    requireExactLength("HELLO", HELLO_FRAME_LENGTH, b, offset, length, boardId, sequence);
    long tickLengthPs = LittleEndian.u32(b, offset + HELLO_TICK_LENGTH_PS_OFFSET);
    int channelCount = LittleEndian.u16(b, offset + HELLO_CHANNEL_COUNT_OFFSET);
    int adcBits = LittleEndian.u8(b, offset + HELLO_ADC_BITS_OFFSET);
    requireField("tickLengthPs", tickLengthPs, 1, 0xFFFF_FFFFL, offset + HELLO_TICK_LENGTH_PS_OFFSET, boardId, sequence);
    requireField("channelCount", channelCount, 1, 0xFFFF, offset + HELLO_CHANNEL_COUNT_OFFSET, boardId, sequence);
    requireField("adcBits", adcBits, 1, 16, offset + HELLO_ADC_BITS_OFFSET, boardId, sequence);
    BoardHello hello = new BoardHello(
        LittleEndian.i64(b, offset + HELLO_BOARD_TIME_OFFSET),
        tickLengthPs,
        LittleEndian.u32(b, offset + HELLO_STATUS_PERIOD_MS_OFFSET),
        LittleEndian.u16(b, offset + HELLO_FIRMWARE_MAJOR_OFFSET),
        LittleEndian.u16(b, offset + HELLO_FIRMWARE_MINOR_OFFSET),
        channelCount,
        adcBits,
        LittleEndian.u8(b, offset + HELLO_CAPABILITIES_OFFSET));
    visitor.onHello(boardId, sequence, hello);
  }

  private static void decodeEvents(
      ByteBuffer b, int offset, int length, int boardId, long sequence, FrameVisitor visitor) {
    if (length < EVENTS_FIXED_LENGTH) {
      throw new WireFormatException(WireError.BAD_PAYLOAD_LENGTH, offset + FRAME_LENGTH_OFFSET,
          "EVENTS frame length " + length + " at offset " + hex(offset + FRAME_LENGTH_OFFSET)
              + " below minimum " + EVENTS_FIXED_LENGTH + context(boardId, sequence));
    }
    long count = LittleEndian.u32(b, offset + EVENTS_COUNT_OFFSET);
    long expected = EVENTS_FIXED_LENGTH + count * EVENT_RECORD_LENGTH;
    if (expected != length) {
      throw new WireFormatException(WireError.COUNT_MISMATCH, offset + EVENTS_COUNT_OFFSET,
          "EVENTS eventCount=" + count + " at offset " + hex(offset + EVENTS_COUNT_OFFSET)
              + " implies frame length " + expected + " but length field says " + length
              + context(boardId, sequence));
    }
    int n = (int) count;
    visitor.onEventsBegin(boardId, sequence, n);
    visitor.onEventRecords(b, offset + EVENTS_FIRST_RECORD_OFFSET, n);
    visitor.onEventsEnd(boardId, sequence);
  }

  private static void decodeStatus(
      ByteBuffer b, int offset, int length, int boardId, long sequence, FrameVisitor visitor) {
    if (length < STATUS_FIXED_LENGTH) {
      throw new WireFormatException(WireError.BAD_PAYLOAD_LENGTH, offset + FRAME_LENGTH_OFFSET,
          "STATUS frame length " + length + " at offset " + hex(offset + FRAME_LENGTH_OFFSET)
              + " below minimum " + STATUS_FIXED_LENGTH + context(boardId, sequence));
    }
    int count = LittleEndian.u16(b, offset + STATUS_CHANNEL_COUNT_OFFSET);
    int expected = statusFrameLength(count);
    if (expected != length) {
      throw new WireFormatException(WireError.COUNT_MISMATCH, offset + STATUS_CHANNEL_COUNT_OFFSET,
          "STATUS channelCount=" + count + " at offset " + hex(offset + STATUS_CHANNEL_COUNT_OFFSET)
              + " implies frame length " + expected + " but length field says " + length
              + context(boardId, sequence));
    }
    visitor.onStatus(
        boardId,
        sequence,
        LittleEndian.i64(b, offset + STATUS_BOARD_TIME_OFFSET),
        LittleEndian.i64(b, offset + STATUS_REAL_TIME_OFFSET),
        LittleEndian.u8(b, offset + STATUS_REACTOR_STATE_OFFSET),
        LittleEndian.u32(b, offset + STATUS_REACTOR_POWER_OFFSET),
        count);
    int record = offset + STATUS_FIRST_CHANNEL_OFFSET;
    for (int i = 0; i < count; i++) {
      visitor.onChannelStatus(
          LittleEndian.u16(b, record + CHANNEL_CHANNEL_OFFSET),
          LittleEndian.i64(b, record + CHANNEL_LIVE_TIME_OFFSET),
          LittleEndian.i64(b, record + CHANNEL_DEAD_TIME_OFFSET),
          LittleEndian.i64(b, record + CHANNEL_ACCEPTED_TRIGGERS_OFFSET),
          LittleEndian.i64(b, record + CHANNEL_LOST_TRIGGERS_OFFSET));
      record += CHANNEL_RECORD_LENGTH;
    }
  }

  private static void requireExactLength(
      String type, int expected, ByteBuffer b, int offset, int length, int boardId, long sequence) {
    if (length != expected) {
      throw new WireFormatException(WireError.BAD_PAYLOAD_LENGTH, offset + FRAME_LENGTH_OFFSET,
          type + " frame length " + length + " at offset " + hex(offset + FRAME_LENGTH_OFFSET)
              + " must be " + expected + context(boardId, sequence));
    }
  }

  private static void requireField(
      String name, long value, long min, long max, int at, int boardId, long sequence) {
    if (value < min || value > max) {
      throw new WireFormatException(WireError.INVALID_FIELD, at,
          "HELLO " + name + "=" + value + " at offset " + hex(at) + " out of range " + min + ".." + max
              + context(boardId, sequence));
    }
  }

  private static String context(int boardId, long sequence) {
    return " boardId=" + boardId + " sequence=" + Long.toUnsignedString(sequence);
  }

  private static String hex(int offset) {
    return "0x" + Integer.toHexString(offset).toUpperCase(java.util.Locale.ROOT);
  }
}
