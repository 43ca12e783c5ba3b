package org.nudaq.server.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nudaq.server.link.GoldenFrames.concat;
import static org.nudaq.server.link.GoldenFrames.events;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The link's decoding and connection rules, fed byte streams through Netty's EmbeddedChannel. */
class BoardLinkDecodingTest {
  private final List<byte[]> golden = GoldenFrames.fromDoc();
  private final LinkStats stats = new LinkStats(1);
  private final CollectingSink sink = new CollectingSink();
  private final EmbeddedChannel channel = new EmbeddedChannel(
      new WireFrameDecoder(stats), new BoardFrameHandler(1, stats, new SequenceTracker(1L << 32), () -> {}, sink, 10_000));

  /** Keeps copies of the frames it is offered; can be made to refuse. */
  static final class CollectingSink implements FrameSink {
    final List<byte[]> frames = new ArrayList<>();
    int capacity = Integer.MAX_VALUE;
    Runnable waiter;
    final List<Boolean> states = new ArrayList<>();
    final List<Long> lostBefore = new ArrayList<>();

    @Override
    public boolean offer(int boardId, ByteBuf frame, long framesLostBefore) {
      lostBefore.add(framesLostBefore);
      if (frames.size() >= capacity) {
        return false;
      }
      byte[] b = new byte[frame.readableBytes()];
      frame.getBytes(frame.readerIndex(), b);
      frames.add(b);
      return true;
    }

    @Override
    public void whenSpace(Runnable callback) {
      waiter = callback;
    }

    @Override
    public void linkState(int boardId, boolean up) {
      states.add(up);
    }
  }

  @AfterEach
  void noLeaks() {
    channel.finishAndReleaseAll();
  }

  private void feed(byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
  }

  @Test
  void passesTheGoldenFramesFromTheProtocolDocument() {
    assertThat(golden).hasSize(4);
    feed(concat(golden.toArray(new byte[0][])));
    assertThat(sink.frames).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(sink.frames.get(i)).isEqualTo(golden.get(i));
    }
    assertThat(stats.framesReceived()).isEqualTo(4);
    assertThat(stats.eventsReceived()).isEqualTo(4);
    assertThat(stats.crcErrors() + stats.malformedFrames() + stats.skippedBytes() + stats.framesLost()).isZero();
    assertThat(stats.up()).isTrue();
    assertThat(sink.states).containsExactly(true);
  }

  @Test
  void reassemblesFramesFedInFragmentsOfEverySize() {
    byte[] stream = concat(golden.toArray(new byte[0][]));
    for (int fragment : new int[] {1, 3, 7, 13, 50}) {
      EmbeddedChannel ch = new EmbeddedChannel(new WireFrameDecoder(new LinkStats(1)),
          new BoardFrameHandler(1, new LinkStats(1), new SequenceTracker(1L << 32), () -> {}, sink, 10_000));
      sink.frames.clear();
      for (int at = 0; at < stream.length; at += fragment) {
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + fragment))));
      }
      assertThat(sink.frames).as("fragment %d", fragment).hasSize(4);
      assertThat(sink.frames.get(1)).isEqualTo(golden.get(1));
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aCorruptedFrameIsDroppedCountedAndTheNextOneStillDecodes() {
    byte[] bad = golden.get(1).clone();
    bad[50] ^= 0x10; // a bit flip in an event: the CRC catches it
    feed(concat(golden.get(0), bad, golden.get(2), golden.get(3)));
    assertThat(sink.frames).hasSize(3);
    assertThat(sink.frames.get(1)).isEqualTo(golden.get(2));
    assertThat(stats.crcErrors()).isEqualTo(1);
    // The lost EVENTS frame shows up as a gap of one frame before the STATUS.
    assertThat(stats.sequenceGaps()).isEqualTo(1);
    assertThat(stats.framesLost()).isEqualTo(1);
    assertThat(sink.lostBefore).containsExactly(0L, 1L, 0L);
  }

  @Test
  void garbageBetweenFramesIsSkippedAndCounted() {
    byte[] garbage = new byte[37];
    Arrays.fill(garbage, (byte) 0xAB);
    feed(concat(golden.get(0), garbage, golden.get(1)));
    assertThat(sink.frames).hasSize(2);
    assertThat(stats.skippedBytes()).isEqualTo(37);
    assertThat(stats.resyncs()).isEqualTo(1);
    assertThat(stats.framesLost()).isZero();
  }

  @Test
  void aTruncatedFrameDoesNotHoldBackTheFramesAfterIt() {
    // A 1000-event frame (16036 bytes) cut after 60 bytes, then a complete STATUS: the decoder must
    // not wait for 16 kB that will never come.
    byte[] truncated = Arrays.copyOf(events(1, 1, 0, 1000), 60);
    feed(concat(golden.get(0), truncated, golden.get(2)));
    assertThat(sink.frames).hasSize(2);
    assertThat(sink.frames.get(1)).isEqualTo(golden.get(2));
    assertThat(stats.malformedFrames()).isEqualTo(1);
    assertThat(stats.framesLost()).isEqualTo(1);
  }

  @Test
  void aShortTruncationFollowedByMoreDataIsCaughtByTheCrc() {
    byte[] truncated = Arrays.copyOf(golden.get(1), 60);
    // The cut frame announces 100 bytes; the next 40 come from the STATUS, so the CRC fails and the
    // decoder finds the STATUS by its magic word.
    feed(concat(golden.get(0), truncated, golden.get(2)));
    assertThat(sink.frames).hasSize(2);
    assertThat(sink.frames.get(1)).isEqualTo(golden.get(2));
    assertThat(stats.crcErrors()).isEqualTo(1);
    assertThat(stats.framesLost()).isEqualTo(1);
  }

  @Test
  void aCorruptLengthFieldIsRejectedFromTheHeaderAlone() {
    byte[] bad = golden.get(1).clone();
    bad[10] = 0x7F; // length 0x7F0064: above the 1 MiB maximum
    feed(concat(golden.get(0), bad, golden.get(2)));
    assertThat(sink.frames).hasSize(2);
    assertThat(stats.malformedFrames()).isEqualTo(1);
    // The decoder never buffered megabytes waiting for the announced length.
    assertThat(sink.frames.get(1)).isEqualTo(golden.get(2));
  }

  @Test
  void duplicatedFramesAreDroppedSoNoEventCountsTwice() {
    byte[] hello = golden.get(0);
    byte[] e1 = events(1, 1, 1000, 10);
    byte[] e2 = events(1, 2, 2000, 10);
    feed(concat(hello, e1, e1, e2, e1));
    assertThat(sink.frames).hasSize(3);
    assertThat(stats.duplicateFrames()).isEqualTo(2);
    assertThat(stats.eventsReceived()).isEqualTo(20);
  }

  @Test
  void framesBeforeTheHelloAreDroppedAndCounted() {
    feed(concat(events(1, 5, 0, 3), golden.get(0)));
    assertThat(stats.framesBeforeHello()).isEqualTo(1);
    assertThat(sink.frames).hasSize(1);
    assertThat(stats.framesLost()).as("the frame before the HELLO counts as lost").isEqualTo(1);
    assertThat(stats.boardRestarts()).as("its sequence number does not make the HELLO a restart").isZero();
  }

  @Test
  void aFrameFromAnotherBoardClosesTheLink() {
    feed(concat(golden.get(0)));
    feed(events(2, 1, 0, 3));
    assertThat(channel.isOpen()).isFalse();
    assertThat(stats.foreignFrames()).isEqualTo(1);
  }

  @Test
  void aFullSinkStopsReadingAndNothingIsLost() {
    sink.capacity = 2;
    feed(concat(golden.get(0), events(1, 1, 0, 5), events(1, 2, 10, 5), events(1, 3, 20, 5)));
    assertThat(sink.frames).hasSize(2);
    assertThat(channel.config().isAutoRead()).isFalse();
    assertThat(stats.backpressurePauses()).isEqualTo(1);
    sink.capacity = Integer.MAX_VALUE;
    sink.waiter.run();
    channel.runPendingTasks();
    assertThat(sink.frames).hasSize(4);
    assertThat(channel.config().isAutoRead()).isTrue();
    assertThat(stats.framesLost()).isZero();
  }
}
