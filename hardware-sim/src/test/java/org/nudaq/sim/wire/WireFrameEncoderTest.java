package org.nudaq.sim.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.EventFlags;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.monitor.wire.FrameVisitor;

class WireFrameEncoderTest {

  // Golden frames of docs/wire-protocol.md §8, copied verbatim.
  static final String GOLDEN_HELLO =
      "4e 55 44 51 01 01 00 00 34 00 00 00 01 00 00 00"
          + " 00 00 00 00 00 00 00 00 40 42 0f 00 00 00 00 00"
          + " a0 0f 00 00 e8 03 00 00 04 00 16 00 08 00 0e 01"
          + " ec 66 dc c2";
  static final String GOLDEN_EVENTS =
      "4e 55 44 51 01 02 00 00 64 00 00 00 01 00 00 00"
          + " 01 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00"
          + " 3a 43 0f 00 00 00 00 00 00 00 d2 04 00 00 00 00"
          + " 6c 43 0f 00 00 00 00 00 01 00 ff 3f 03 00 00 00"
          + " 10 4a 0f 00 00 00 00 00 00 00 56 04 04 00 03 00"
          + " 04 4c 0f 00 00 00 00 00 07 00 00 00 08 00 00 00"
          + " a5 11 08 8e";
  static final String GOLDEN_STATUS =
      "4e 55 44 51 01 03 00 00 84 00 00 00 01 00 00 00"
          + " 02 00 00 00 00 00 00 00 80 b2 e6 0e 00 00 00 00"
          + " 40 70 d7 0e 00 00 00 00 02 00 01 00 00 00 00 00"
          + " 00 00 00 00 00 00 00 00 20 cf cf 0e 00 00 00 00"
          + " 20 a1 07 00 00 00 00 00 dc 05 00 00 00 00 00 00"
          + " 03 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00"
          + " 00 1c 4e 0e 00 00 00 00 40 54 89 00 00 00 00 00"
          + " 60 ea 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
          + " 69 d2 73 72";
  static final String GOLDEN_GOODBYE =
      "4e 55 44 51 01 04 00 00 24 00 00 00 01 00 00 00"
          + " 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
          + " f7 4e 7e 51";

  private final EmbeddedChannel channel = new EmbeddedChannel(new WireFrameEncoder());

  @AfterEach
  void closeChannel() {
    assertThat(channel.finishAndReleaseAll()).as("no frame left unread").isFalse();
  }

  static WireFrame.Hello goldenHello() {
    return new WireFrame.Hello(1, 0L,
        new BoardHello(1_000_000L, 4000, 1000, 4, 22, 8, 14, FrameDescriptor.CAPABILITY_SIMULATOR));
  }

  static WireFrame.Events goldenEvents() {
    EventBatch batch = new EventBatch(16);
    batch.add(1_000_250L, 0, 1234, 0, 0);
    batch.add(1_000_300L, 1, 16383, EventFlags.PILEUP | EventFlags.SATURATION, 0);
    batch.add(1_002_000L, 0, 1110, EventFlags.LOST_TRIGGERS_BEFORE, 3);
    batch.add(1_002_500L, 7, 0, EventFlags.FAKE, 0);
    return new WireFrame.Events(1, 1L, batch);
  }

  static WireFrame.Status goldenStatus() {
    return new WireFrame.Status(1, 2L, new BoardStatus(250_000_000L, 249_000_000L,
        FrameDescriptor.REACTOR_ON,
        List.of(new ChannelCounters(0, 248_500_000L, 500_000L, 1500L, 3L),
            new ChannelCounters(1, 240_000_000L, 9_000_000L, 60_000L, 0L))));
  }

  @Test
  void encodesGoldenHello() {
    assertThat(encode(goldenHello())).isEqualTo(compact(GOLDEN_HELLO));
  }

  @Test
  void encodesGoldenEvents() {
    assertThat(encode(goldenEvents())).isEqualTo(compact(GOLDEN_EVENTS));
  }

  @Test
  void encodesGoldenStatus() {
    assertThat(encode(goldenStatus())).isEqualTo(compact(GOLDEN_STATUS));
  }

  @Test
  void encodesGoldenGoodbye() {
    assertThat(encode(new WireFrame.Goodbye(1, 3L, FrameDescriptor.GOODBYE_NORMAL_SHUTDOWN)))
        .isEqualTo(compact(GOLDEN_GOODBYE));
  }

  @Test
  void writesSameGoldenBytesIntoHeapBufferAfterExistingContent() {
    ByteBufFrameWriter writer = new ByteBufFrameWriter();
    ByteBuf heap = Unpooled.buffer(8);
    try {
      heap.writeBytes(new byte[] {1, 2, 3}); // frame must not assume it starts at index 0
      int length = writer.writeEvents(heap, 1, 1L, goldenEvents().events());
      assertThat(ByteBufUtil.hexDump(heap, 3, length)).isEqualTo(compact(GOLDEN_EVENTS));
    } finally {
      heap.release();
    }
  }

  @Test
  void monitorReaderDecodesWhatTheNettyEncoderWrites() {
    SplittableRandom random = new SplittableRandom(7L);
    EventBatch batch = new EventBatch(1000);
    long[] ts = new long[1000];
    int[] packed = new int[1000];
    for (int i = 0; i < 1000; i++) {
      ts[i] = random.nextLong();
      packed[i] = random.nextInt();
      batch.add(ts[i], packed[i] & 0xFFFF, packed[i] >>> 16, (packed[i] >>> 3) & 0xFFFF, i & 0xFFFF);
    }
    channel.writeOutbound(new WireFrame.Events(513, Long.MIN_VALUE + 5, batch));
    ByteBuf out = channel.readOutbound();
    try {
      List<String> seen = new ArrayList<>();
      int[] index = {0};
      int length = new FrameReader().decode(out.nioBuffer(), new CollectingVisitor(seen) {
        @Override
        public void onEvent(long t, int ch, int e, int f, int l) {
          int i = index[0]++;
          assertThat(t).isEqualTo(ts[i]);
          assertThat(ch).isEqualTo(packed[i] & 0xFFFF);
          assertThat(e).isEqualTo(packed[i] >>> 16);
          assertThat(f).isEqualTo((packed[i] >>> 3) & 0xFFFF);
          assertThat(l).isEqualTo(i);
        }
      });
      // 36 bytes of header, count and CRC + 1000 × 16-byte records
      assertThat(length).isEqualTo(16_036).isEqualTo(out.readableBytes());
      assertThat(index[0]).isEqualTo(1000);
      assertThat(seen).containsExactly("events board=513 seq=" + (Long.MIN_VALUE + 5) + " count=1000");
    } finally {
      out.release();
    }
  }

  @Test
  void documentedLengthFieldParametersSplitAFragmentedStreamIntoTheGoldenFrames() {
    for (WireFrame frame : List.of(goldenHello(), goldenEvents(), goldenStatus(),
        new WireFrame.Goodbye(1, 3L, FrameDescriptor.GOODBYE_NORMAL_SHUTDOWN))) {
      channel.writeOutbound(frame);
    }
    ByteBuf stream = Unpooled.buffer();
    for (ByteBuf piece; (piece = channel.readOutbound()) != null; ) {
      stream.writeBytes(piece);
      piece.release();
    }
    EmbeddedChannel server = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(
        ByteOrder.LITTLE_ENDIAN, FrameDescriptor.MAX_FRAME_LENGTH, FrameDescriptor.LENGTH_FIELD_OFFSET,
        FrameDescriptor.LENGTH_FIELD_LENGTH, FrameDescriptor.LENGTH_ADJUSTMENT,
        FrameDescriptor.INITIAL_BYTES_TO_STRIP, true));
    while (stream.isReadable()) { // 7-byte fragments: a length field is split across reads
      server.writeInbound(stream.readRetainedSlice(Math.min(7, stream.readableBytes())));
    }
    stream.release();
    List<String> frames = new ArrayList<>();
    List<String> decoded = new ArrayList<>();
    FrameReader reader = new FrameReader();
    for (ByteBuf frame; (frame = server.readInbound()) != null; ) {
      frames.add(ByteBufUtil.hexDump(frame));
      reader.decode(frame.nioBuffer(), new CollectingVisitor(decoded));
      frame.release();
    }
    assertThat(server.finish()).isFalse();
    assertThat(frames).containsExactly(compact(GOLDEN_HELLO), compact(GOLDEN_EVENTS),
        compact(GOLDEN_STATUS), compact(GOLDEN_GOODBYE));
    assertThat(decoded).containsExactly("hello board=1 seq=0", "events board=1 seq=1 count=4",
        "status board=1 seq=2 reactor=1 channels=2", "goodbye board=1 seq=3 reason=0");
  }

  @Test
  void eventBatchRefusesEventsBeyondItsCapacity() {
    EventBatch batch = new EventBatch(2);
    assertThat(batch.add(1, 0, 1, 0, 0)).isTrue();
    assertThat(batch.add(2, 0, 2, 0, 0)).isTrue();
    assertThat(batch.add(3, 0, 3, 0, 0)).isFalse();
    assertThat(batch.size()).isEqualTo(2);
    batch.clear();
    assertThat(batch.add(4, 0, 4, 0, 0)).isTrue();
    assertThat(batch.timestampTicks(0)).isEqualTo(4);
  }

  private String encode(WireFrame frame) {
    assertThat(channel.writeOutbound(frame)).isTrue();
    ByteBuf out = channel.readOutbound();
    try {
      assertThat(out.readableBytes()).isEqualTo(frame.frameLength());
      return ByteBufUtil.hexDump(out);
    } finally {
      out.release();
    }
  }

  private static String compact(String hex) {
    return HexFormat.of().formatHex(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  /** Records frame-level calls as text; per-event calls are checked by overriding onEvent. */
  static class CollectingVisitor implements FrameVisitor {
    private final List<String> out;

    CollectingVisitor(List<String> out) {
      this.out = out;
    }

    @Override
    public void onHello(int boardId, long sequence, BoardHello hello) {
      out.add("hello board=" + boardId + " seq=" + sequence);
    }

    @Override
    public void onEventsBegin(int boardId, long sequence, int eventCount) {
      out.add("events board=" + boardId + " seq=" + sequence + " count=" + eventCount);
    }

    @Override
    public void onEvent(long t, int ch, int e, int f, int l) {}

    @Override
    public void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks,
        int reactorState, long reactorPowerPpm, int channelCount) {
      out.add("status board=" + boardId + " seq=" + sequence + " reactor=" + reactorState
          + " channels=" + channelCount);
    }

    @Override
    public void onChannelStatus(int ch, long live, long dead, long accepted, long lost) {}

    @Override
    public void onGoodbye(int boardId, long sequence, int reasonCode) {
      out.add("goodbye board=" + boardId + " seq=" + sequence + " reason=" + reasonCode);
    }
  }
}
