package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.server.ingest.FrameQueue;

/**
 * The stream handler in an {@link EmbeddedChannel} over a real {@link FrameQueue} too small for what
 * arrives: reading pauses (autoRead off), the frames wait in order, and when the queue drains every
 * one is delivered — nothing dropped, nothing reordered; at the end the accounting still holds.
 */
class CompassStreamHandlerTest {

  @Test
  void aFullQueuePausesReadingAndLosesNothing() {
    NudaqConfig cfg = CompassStreamDecoderTest.config(false);
    CompassStreamDecoderTest.Stream s = CompassStreamDecoderTest.stream(3_000, false, 0, 17);
    CompassStreamDecoder decoder = new CompassStreamDecoder(cfg.compass().stream(), cfg);
    FrameQueue queue = new FrameQueue(4, 1 << 20);
    CompassStreamStats stats = new CompassStreamStats();
    CompassFrameAssembler assembler = new CompassFrameAssembler(cfg, (b, buf, len) -> {
      throw new AssertionError("replaced by the handler");
    });
    CompassStreamHandler handler = new CompassStreamHandler("test", decoder, assembler, queue, stats);
    assembler.output(handler);
    EmbeddedChannel ch = new EmbeddedChannel(handler); // active: HELLO and the link-up mark take two slots
    byte[] bytes = s.bytes();
    int chunk = 18 * 300 + 7;
    for (int at = 0; at < bytes.length; at += chunk) {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, Math.min(chunk, bytes.length - at)));
    }
    assertThat(ch.config().isAutoRead()).as("paused while the queue is full").isFalse();
    assertThat(stats.backpressurePauses()).isEqualTo(1);

    List<long[]> events = new ArrayList<>();
    FrameReader reader = new FrameReader();
    CompassStreamLinkTest.Events visitor = new CompassStreamLinkTest.Events();
    for (int round = 0; round < 100 && (events.size() < 3_000 || !ch.config().isAutoRead()); round++) {
      FrameQueue.Slot slot;
      while ((slot = queue.poll()) != null) {
        if (slot.linkState() == 0) {
          reader.decode(ByteBuffer.wrap(slot.data(), 0, slot.length()), 0, slot.length(), visitor);
        }
        queue.release(slot);
      }
      ch.runPendingTasks(); // the drain the queue asked for when room came back
      events = visitor.events;
    }
    assertThat(events).hasSize(3_000);
    for (int i = 0; i < events.size(); i++) {
      long[] want = s.records().get(i);
      assertThat(events.get(i)[0]).isEqualTo(want[2]);
      assertThat(events.get(i)[1]).isEqualTo(want[3] / 4000);
      assertThat(events.get(i)[2]).isEqualTo(want[4]);
    }
    assertThat(ch.config().isAutoRead()).as("reading again").isTrue();
    assertThat(visitor.hellos).isEqualTo(1);
    assertThat(stats.decodedBytes() + stats.skippedBytes() + stats.pendingBytes()).isEqualTo(stats.bytesReceived());
    assertThat(stats.bytesReceived()).isEqualTo(bytes.length);
    ch.finishAndReleaseAll();
  }
}
