package org.nudaq.monitor.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nudaq.monitor.wire.GoldenFrames.compact;
import static org.nudaq.monitor.wire.GoldenFrames.hex;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameWriterTest {

  static final BoardHello GOLDEN_HELLO =
      new BoardHello(1_000_000L, 4000, 1000, 4, 22, 8, 14, FrameDescriptor.CAPABILITY_SIMULATOR);
  static final BoardStatus GOLDEN_STATUS = new BoardStatus(250_000_000L, 249_000_000L,
      FrameDescriptor.REACTOR_ON,
      List.of(new ChannelCounters(0, 248_500_000L, 500_000L, 1500L, 3L),
          new ChannelCounters(1, 240_000_000L, 9_000_000L, 60_000L, 0L)));

  private final FrameWriter writer = new FrameWriter();

  static int writeGoldenEvents(FrameWriter writer, ByteBuffer buffer, int offset) {
    writer.beginEvents(buffer, offset, 1, 1L);
    writer.appendEvent(1_000_250L, 0, 1234, 0, 0);
    writer.appendEvent(1_000_300L, 1, 16383, EventFlags.PILEUP | EventFlags.SATURATION, 0);
    writer.appendEvent(1_002_000L, 0, 1110, EventFlags.LOST_TRIGGERS_BEFORE, 3);
    writer.appendEvent(1_002_500L, 7, 0, EventFlags.FAKE, 0);
    return writer.finishEvents();
  }

  @Test
  void writesGoldenHello() {
    ByteBuffer buffer = ByteBuffer.allocate(256);
    int length = writer.writeHello(buffer, 0, 1, 0L, GOLDEN_HELLO);
    assertThat(length).isEqualTo(52);
    assertThat(hex(buffer, 0, length)).isEqualTo(compact(GoldenFrames.HELLO));
  }

  @Test
  void writesGoldenEvents() {
    ByteBuffer buffer = ByteBuffer.allocate(256);
    int length = writeGoldenEvents(writer, buffer, 0);
    // 24 header + 8 count/reserved + 4 records × 16 + 4 CRC = 100
    assertThat(length).isEqualTo(100);
    assertThat(hex(buffer, 0, length)).isEqualTo(compact(GoldenFrames.EVENTS));
  }

  @Test
  void writesGoldenStatus() {
    ByteBuffer buffer = ByteBuffer.allocate(256);
    int length = writer.writeStatus(buffer, 0, 1, 2L, GOLDEN_STATUS);
    // 24 header + 24 fixed status + 2 channels × 40 + 4 CRC = 132
    assertThat(length).isEqualTo(132);
    assertThat(hex(buffer, 0, length)).isEqualTo(compact(GoldenFrames.STATUS));
  }

  @Test
  void reactorPowerTravelsInTheFormerlyReservedWordAtOffset44AndZeroKeepsTheGoldenBytes() {
    BoardStatus withPower = new BoardStatus(GOLDEN_STATUS.boardTimeTicks(), GOLDEN_STATUS.realTimeTicks(),
        GOLDEN_STATUS.reactorState(), GOLDEN_STATUS.channels(), 930_000L);
    ByteBuffer buffer = ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int length = writer.writeStatus(buffer, 0, 1, 2L, withPower);
    assertThat(buffer.getInt(44)).isEqualTo(930_000);
    RecordingVisitor seen = new RecordingVisitor();
    new FrameReader().decode(buffer, 0, length, seen);
    assertThat(seen.calls.get(0)).isEqualTo("status board=1 seq=2 time=250000000 real=249000000 reactor=1 powerPpm=930000 channels=2");
    // Not reported (0): byte for byte the golden frame of protocol version 1, as old writers send it.
    assertThat(GOLDEN_STATUS.reactorPowerPpm()).isZero();
  }

  @Test
  void writesGoldenGoodbye() {
    ByteBuffer buffer = ByteBuffer.allocate(64);
    int length = writer.writeGoodbye(buffer, 0, 1, 3L, FrameDescriptor.GOODBYE_NORMAL_SHUTDOWN);
    assertThat(hex(buffer, 0, length)).isEqualTo(compact(GoldenFrames.GOODBYE));
  }

  @Test
  void writesSameBytesIntoDirectBufferAtAnOffsetWhateverTheBufferOrder() {
    ByteBuffer direct = ByteBuffer.allocateDirect(512); // default order BIG_ENDIAN must not matter
    int length = writeGoldenEvents(writer, direct, 37);
    assertThat(hex(direct, 37, length)).isEqualTo(compact(GoldenFrames.EVENTS));
    assertThat(direct.position()).isZero();
  }

  @Test
  void refusesEventWhenFrameReachesBufferLimitAndFinishesAValidFrame() {
    // room for the fixed part (36 bytes) plus exactly two 16-byte records
    ByteBuffer buffer = ByteBuffer.allocate(36 + 2 * 16 + 15);
    writer.beginEvents(buffer, 0, 9, 42L);
    assertThat(writer.appendEvent(1, 0, 1, 0, 0)).isTrue();
    assertThat(writer.appendEvent(2, 0, 2, 0, 0)).isTrue();
    assertThat(writer.appendEvent(3, 0, 3, 0, 0)).isFalse();
    assertThat(writer.eventCount()).isEqualTo(2);
    int length = writer.finishEvents();
    assertThat(length).isEqualTo(68);

    RecordingVisitor visitor = new RecordingVisitor();
    new FrameReader().decode(buffer, 0, length, visitor);
    assertThat(visitor.calls).containsExactly("events board=9 seq=42 count=2",
        "event t=1 ch=0 e=1 flags=0 lost=0", "event t=2 ch=0 e=2 flags=0 lost=0", "end board=9 seq=42");
  }

  @Test
  void capsEventsPerFrameSoTheFrameStaysWithinOneMebibyte() {
    // (1 048 576 − 36) / 16 = 65 533.75 → 65 533 records; 36 + 65 533 × 16 = 1 048 564 ≤ 1 048 576
    assertThat(FrameDescriptor.MAX_EVENTS_PER_FRAME).isEqualTo(65_533);
    ByteBuffer buffer = ByteBuffer.allocate(2 << 20);
    writer.beginEvents(buffer, 0, 1, 0L);
    int accepted = 0;
    while (writer.appendEvent(accepted, 0, 0, 0, 0)) {
      accepted++;
    }
    assertThat(accepted).isEqualTo(65_533);
    assertThat(writer.finishEvents()).isEqualTo(1_048_564);
  }

  @Test
  void saturatesLostTriggerCountAtU16Maximum() {
    ByteBuffer buffer = ByteBuffer.allocate(128);
    writer.beginEvents(buffer, 0, 1, 0L);
    writer.appendEvent(5, 2, 100, EventFlags.LOST_TRIGGERS_BEFORE, 70_000);
    int length = writer.finishEvents();
    RecordingVisitor visitor = new RecordingVisitor();
    new FrameReader().decode(buffer, 0, length, visitor);
    assertThat(visitor.calls).contains("event t=5 ch=2 e=100 flags=4 lost=65535");
  }

  @Test
  void rejectsFieldsOutsideTheirWireRange() {
    ByteBuffer buffer = ByteBuffer.allocate(128);
    writer.beginEvents(buffer, 0, 1, 0L);
    assertThatThrownBy(() -> writer.appendEvent(0, 65_536, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel=65536");
    assertThatThrownBy(() -> writer.writeGoodbye(buffer, 0, 70_000, 0L, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("boardId=70000");
    assertThatThrownBy(() -> new BoardHello(0, 4000, 0, 0, 0, 8, 17, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adcBits=17");
    assertThatThrownBy(() -> writer.writeHello(ByteBuffer.allocate(51), 0, 1, 0L, GOLDEN_HELLO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 52 bytes");
  }
}
