package org.nudaq.monitor.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nudaq.monitor.wire.GoldenFrames.bytes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

  private final FrameReader reader = new FrameReader();
  private final RecordingVisitor visitor = new RecordingVisitor();

  @Test
  void decodesGoldenHelloIntoTheDocumentedValues() {
    byte[] frame = bytes(GoldenFrames.HELLO);
    assertThat(reader.decode(ByteBuffer.wrap(frame), visitor)).isEqualTo(52);
    assertThat(visitor.calls).containsExactly("hello board=1 seq=0");
    BoardHello hello = visitor.hellos.get(0);
    // 0x0F4240 = 1 000 000; 0x0FA0 = 4000 ps = 250 MS/s; 0x03E8 = 1000 ms; 0x16 = 22; 0x0E = 14
    assertThat(hello).isEqualTo(new BoardHello(1_000_000L, 4000, 1000, 4, 22, 8, 14, 1));
    assertThat(hello.isSimulator()).isTrue();
    assertThat(hello.maxEnergyAdc()).isEqualTo(16_383);
  }

  @Test
  void decodesGoldenEventsWithTheirFlags() {
    reader.decode(ByteBuffer.wrap(bytes(GoldenFrames.EVENTS)), visitor);
    // 0x0F433A = 1 000 250; 0x04D2 = 1234; 0x3FFF = 16383; 0x0456 = 1110; 0x0F4C04 = 1 002 500
    assertThat(visitor.calls).containsExactly(
        "events board=1 seq=1 count=4",
        "event t=1000250 ch=0 e=1234 flags=0 lost=0",
        "event t=1000300 ch=1 e=16383 flags=3 lost=0",
        "event t=1002000 ch=0 e=1110 flags=4 lost=3",
        "event t=1002500 ch=7 e=0 flags=8 lost=0",
        "end board=1 seq=1");
  }

  @Test
  void decodesGoldenStatusCounters() {
    reader.decode(ByteBuffer.wrap(bytes(GoldenFrames.STATUS)), visitor);
    // 0x0EE6B280 = 250 000 000 ticks = 1 s at 4 ns; 0x0ED77040 = 249 000 000
    assertThat(visitor.calls).containsExactly(
        "status board=1 seq=2 time=250000000 real=249000000 reactor=1 channels=2",
        "channel 0 live=248500000 dead=500000 accepted=1500 lost=3",
        "channel 1 live=240000000 dead=9000000 accepted=60000 lost=0");
  }

  @Test
  void decodesGoldenGoodbye() {
    reader.decode(ByteBuffer.wrap(bytes(GoldenFrames.GOODBYE)), visitor);
    assertThat(visitor.calls).containsExactly("goodbye board=1 seq=3 reason=0");
  }

  @Test
  void decodesBackToBackFramesInADirectBufferByReturnedLength() {
    byte[] hello = bytes(GoldenFrames.HELLO);
    byte[] events = bytes(GoldenFrames.EVENTS);
    ByteBuffer direct = ByteBuffer.allocateDirect(hello.length + events.length)
        .order(ByteOrder.BIG_ENDIAN).put(hello).put(events).flip();
    int first = reader.decode(direct, 0, direct.limit(), visitor);
    int second = reader.decode(direct, first, direct.limit() - first, visitor);
    assertThat(first + second).isEqualTo(152);
    assertThat(visitor.calls).hasSize(1 + 6);
  }

  @Test
  void rejectsWrongMagicNamingValueAndOffset() {
    byte[] frame = bytes(GoldenFrames.HELLO);
    frame[0] = 0x78;
    frame[1] = 0x56;
    frame[2] = 0x34;
    frame[3] = 0x12;
    assertRejected(frame, WireError.BAD_MAGIC, 0, "bad magic 0x12345678 at offset 0x0");
  }

  @Test
  void rejectsUnsupportedVersion() {
    byte[] frame = bytes(GoldenFrames.EVENTS);
    frame[FrameDescriptor.VERSION_OFFSET] = 7;
    assertRejected(frame, WireError.UNSUPPORTED_VERSION, 4, "unsupported version 7 at offset 0x4");
  }

  @Test
  void rejectsUnknownFrameType() {
    byte[] frame = bytes(GoldenFrames.EVENTS);
    frame[FrameDescriptor.TYPE_OFFSET] = 9;
    assertRejected(frame, WireError.UNKNOWN_TYPE, 5, "unknown frame type 0x09 at offset 0x5");
  }

  @Test
  void rejectsLengthAboveOneMebibyteFromThePrefixAlone() {
    byte[] prefix = new byte[FrameDescriptor.PREFIX_LENGTH];
    System.arraycopy(bytes(GoldenFrames.EVENTS), 0, prefix, 0, prefix.length);
    ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).putInt(8, (1 << 20) + 1);
    assertThatThrownBy(() -> FrameReader.validatePrefix(ByteBuffer.wrap(prefix), 0))
        .isInstanceOfSatisfying(WireFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(WireError.BAD_FRAME_LENGTH))
        .hasMessageContaining("EVENTS frame length 1048577 at offset 0x8 outside 28..1048576");
  }

  @Test
  void rejectsLengthBelowHeaderPlusCrc() {
    byte[] frame = bytes(GoldenFrames.GOODBYE);
    frame[FrameDescriptor.FRAME_LENGTH_OFFSET] = 27;
    assertRejected(frame, WireError.BAD_FRAME_LENGTH, 8, "GOODBYE frame length 27 at offset 0x8 outside 28..1048576");
  }

  @Test
  void rejectsFrameShorterThanItsLengthField() {
    byte[] frame = bytes(GoldenFrames.EVENTS);
    ByteBuffer cut = ByteBuffer.wrap(frame, 0, 99).slice();
    assertThatThrownBy(() -> reader.decode(cut, visitor))
        .isInstanceOfSatisfying(WireFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(WireError.TRUNCATED))
        .hasMessageContaining("length field says 100 bytes, have 99");
    assertThat(visitor.calls).isEmpty();
  }

  @Test
  void rejectsCrcMismatchWithComputedAndStoredValues() {
    byte[] frame = bytes(GoldenFrames.EVENTS);
    frame[FrameDescriptor.EVENTS_FIRST_RECORD_OFFSET + FrameDescriptor.EVENT_ENERGY_OFFSET] ^= 0x01;
    int computed = new Crc().crc32c(frame, 0, frame.length - 4);
    assertRejected(frame, WireError.CRC_MISMATCH, 96, String.format(
        "CRC mismatch: computed 0x%08X, frame says 0x8E0811A5 at offset 0x60", computed));
  }

  @Test
  void rejectsEventCountInconsistentWithLengthEvenWhenCrcIsValid() {
    byte[] frame = bytes(GoldenFrames.EVENTS);
    frame[FrameDescriptor.EVENTS_COUNT_OFFSET] = 5; // 36 + 5 × 16 = 116 ≠ 100
    resealCrc(frame);
    assertRejected(frame, WireError.COUNT_MISMATCH, 24,
        "EVENTS eventCount=5 at offset 0x18 implies frame length 116 but length field says 100");
  }

  @Test
  void rejectsStatusChannelCountInconsistentWithLength() {
    byte[] frame = bytes(GoldenFrames.STATUS);
    frame[FrameDescriptor.STATUS_CHANNEL_COUNT_OFFSET] = 1; // 52 + 1 × 40 = 92 ≠ 132
    resealCrc(frame);
    assertRejected(frame, WireError.COUNT_MISMATCH, 40, "STATUS channelCount=1 at offset 0x28 implies frame length 92");
  }

  @Test
  void rejectsHelloOfWrongLength() {
    byte[] golden = bytes(GoldenFrames.HELLO);
    byte[] frame = new byte[golden.length + 4];
    System.arraycopy(golden, 0, frame, 0, golden.length - 4);
    frame[FrameDescriptor.FRAME_LENGTH_OFFSET] = (byte) frame.length;
    resealCrc(frame);
    assertRejected(frame, WireError.BAD_PAYLOAD_LENGTH, 8, "HELLO frame length 56 at offset 0x8 must be 52");
  }

  @Test
  void rejectsHelloWithZeroAdcBits() {
    byte[] frame = bytes(GoldenFrames.HELLO);
    frame[FrameDescriptor.HELLO_ADC_BITS_OFFSET] = 0;
    resealCrc(frame);
    assertRejected(frame, WireError.INVALID_FIELD, 46, "HELLO adcBits=0 at offset 0x2E out of range 1..16");
  }

  @Test
  void ignoresReservedHeaderBitsSoTheyCanBeGivenMeaningLater() {
    byte[] frame = bytes(GoldenFrames.GOODBYE);
    frame[FrameDescriptor.HEADER_FLAGS_OFFSET] = 0x5A;
    frame[FrameDescriptor.HEADER_RESERVED_OFFSET] = 0x33;
    resealCrc(frame);
    reader.decode(ByteBuffer.wrap(frame), visitor);
    assertThat(visitor.calls).containsExactly("goodbye board=1 seq=3 reason=0");
  }

  private void assertRejected(byte[] frame, WireError reason, int offset, String message) {
    assertThatThrownBy(() -> reader.decode(ByteBuffer.wrap(frame), visitor))
        .isInstanceOfSatisfying(WireFormatException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.offset()).isEqualTo(offset);
        })
        .hasMessageContaining(message);
    assertThat(visitor.calls).as("nothing of a rejected frame reaches the visitor").isEmpty();
  }

  private static void resealCrc(byte[] frame) {
    int crc = new Crc().crc32c(frame, 0, frame.length - 4);
    ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(frame.length - 4, crc);
  }
}
