package org.nudaq.server.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nudaq.monitor.wire.FrameDescriptor.MAGIC;
import static org.nudaq.monitor.wire.FrameDescriptor.MAX_FRAME_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.nudaq.server.link.FrameSink;
import org.nudaq.server.link.LinkPipelines;
import org.nudaq.server.link.LinkStats;

/**
 * Properties of the daemon's link decoding (the real {@code WireFrameDecoder} and
 * {@code BoardFrameHandler} in an EmbeddedChannel) under bad input: whatever bytes arrive, in
 * whatever fragments, nothing escapes the pipeline, the decoder never holds more than one maximum
 * frame plus one read, every byte is either in a delivered frame or counted as skipped, and every
 * valid frame that arrives intact is delivered, byte for byte and in order.
 */
class FrameDecoderPropertiesTest {
  private static final int BOARD = 3;

  /** Keeps copies of the frames it is offered; always has room. */
  private static final class Collecting implements FrameSink {
    final List<byte[]> frames = new ArrayList<>();

    @Override
    public boolean offer(int boardId, ByteBuf frame, long framesLostBefore) {
      byte[] b = new byte[frame.readableBytes()];
      frame.getBytes(frame.readerIndex(), b);
      frames.add(b);
      return true;
    }

    @Override
    public void whenSpace(Runnable callback) {
      throw new AssertionError("the collecting sink never refuses");
    }
  }

  /** Feeds a stream through the link in fragments and checks the invariants after every fragment. */
  private static final class Link {
    final LinkStats stats = new LinkStats(BOARD);
    final Collecting sink = new Collecting();
    final EmbeddedChannel channel = LinkPipelines.embedded(BOARD, stats, sink);
    long fed;
    long maxBuffered;

    void feed(byte[] stream, Random chunks, int maxChunk) {
      int at = 0;
      while (at < stream.length) {
        int n = Math.min(stream.length - at, 1 + chunks.nextInt(maxChunk));
        // writeInbound rethrows anything that reached the end of the pipeline.
        channel.writeInbound(Unpooled.wrappedBuffer(stream, at, n));
        at += n;
        fed += n;
        assertThat(channel.isOpen()).as("the link stays open after %d bytes", fed).isTrue();
        long buffered = buffered();
        maxBuffered = Math.max(maxBuffered, buffered);
        assertThat(buffered).as("bytes held by the decoder after %d bytes", fed)
            .isBetween(0L, (long) MAX_FRAME_LENGTH + n);
      }
    }

    /** Bytes neither passed on in a frame nor counted as skipped: what the decoder holds. */
    long buffered() {
      return fed - stats.bytesReceived() - stats.skippedBytes();
    }

    /** Closes the connection: whatever was held is discarded and counted. */
    void close() {
      channel.finishAndReleaseAll();
      assertThat(buffered()).as("every byte is in a delivered frame or counted as skipped").isZero();
    }
  }

  @Property(tries = 300)
  void arbitraryBytesNeverEscapeThePipelineAndAreAllCountedAsSkipped(
      @ForAll @Size(max = 20_000) byte[] bytes, @ForAll long seed, @ForAll @IntRange(min = 1, max = 5000) int maxChunk) {
    Link link = new Link();
    link.feed(bytes, new Random(seed), maxChunk);
    link.close();
    assertThat(link.sink.frames).isEmpty();
    assertThat(link.stats.skippedBytes()).isEqualTo(bytes.length);
    assertThat(link.stats.bytesReceived()).isZero();
  }

  @Property(tries = 300)
  void bytesFullOfMagicWordsAndPlausibleHeadersAreAllCountedAsSkipped(
      @ForAll @Size(max = 5_000) byte[] bytes, @ForAll long seed, @ForAll @IntRange(min = 1, max = 5000) int maxChunk) {
    // Plant magic words and headers with valid version, type and lengths: the slow paths of resync.
    Random r = new Random(seed);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 12 <= bytes.length; i += 1 + r.nextInt(40)) {
      b.putInt(i, MAGIC);
      b.put(i + 4, (byte) 1);
      b.put(i + 5, (byte) (1 + r.nextInt(4)));
      b.putInt(i + 8, r.nextBoolean() ? 28 + r.nextInt(200) : r.nextInt());
    }
    Link link = new Link();
    link.feed(bytes, r, maxChunk);
    link.close();
    assertThat(link.sink.frames).isEmpty();
    assertThat(link.stats.skippedBytes()).isEqualTo(bytes.length);
  }

  @Property(tries = 400)
  void validFramesAfterGarbageTruncationOversizeLengthsAndBitFlipsAreAllDelivered(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 40) int dataFrames,
      @ForAll @IntRange(min = 0, max = 100) int damagePercent,
      @ForAll @IntRange(min = 1, max = 3000) int maxChunk) {
    StreamBuilder s = new StreamBuilder(seed, BOARD);
    Random r = s.random();
    s.hello();
    for (int i = 0; i < dataFrames; i++) {
      if (r.nextInt(100) < damagePercent) {
        switch (r.nextInt(4)) {
          case 0 -> s.garbage();
          case 1 -> s.truncated();
          case 2 -> s.oversizeLength();
          default -> s.bitFlipped();
        }
      }
      s.valid(s.nextDataFrame());
    }
    // A last intact frame, so every frame lost in the middle shows up as a sequence gap.
    s.goodbye();
    byte[] stream = s.bytes();

    Link link = new Link();
    link.feed(stream, r, maxChunk);
    link.close();

    List<byte[]> expected = s.intactFrames();
    assertThat(describe(link.sink.frames)).isEqualTo(describe(expected));
    for (int i = 0; i < expected.size(); i++) {
      assertThat(link.sink.frames.get(i)).as("frame %d", i).isEqualTo(expected.get(i));
    }
    long intactBytes = 0;
    for (byte[] f : expected) {
      intactBytes += f.length;
    }
    LinkStats st = link.stats;
    assertThat(st.bytesReceived()).isEqualTo(intactBytes);
    assertThat(st.skippedBytes()).isEqualTo(stream.length - intactBytes);
    assertThat(st.framesReceived()).isEqualTo(expected.size());
    // A bit-flipped frame is a frame the board sent that never arrived: a sequence gap.
    assertThat(st.framesLost()).isEqualTo(s.hitFrames());
    if (s.hitFrames() > 0) {
      assertThat(st.crcErrors() + st.malformedFrames() + st.resyncs()).isPositive();
    }
    assertThat(st.duplicateFrames()).isZero();
  }

  /** Frames as "sequence/length/hash", for readable failure messages. */
  private static List<String> describe(List<byte[]> frames) {
    List<String> out = new ArrayList<>();
    for (byte[] f : frames) {
      out.add(ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getLong(16) + "/" + f.length + "/"
          + Integer.toHexString(java.util.Arrays.hashCode(f)));
    }
    return out;
  }

  @Property(tries = 5)
  void aHeaderAnnouncingTheMaximumLengthNeverMakesTheDecoderHoldMoreThanOneFramePlusOneRead(
      @ForAll long seed, @ForAll @IntRange(min = 1024, max = 65_536) int maxChunk) {
    StreamBuilder s = new StreamBuilder(seed, BOARD);
    s.hello();
    byte[] head = s.bytes();
    // A header announcing exactly 1 MiB, then 2.5 MiB of bytes without a magic word.
    byte[] lie = new byte[(5 * MAX_FRAME_LENGTH) / 2];
    new Random(seed).nextBytes(lie);
    for (int i = 0; i < lie.length; i++) {
      if (lie[i] == 0x4E) {
        lie[i] = 0;
      }
    }
    ByteBuffer b = ByteBuffer.wrap(lie).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, MAGIC);
    b.put(4, (byte) 1);
    b.put(5, (byte) 2);
    b.putInt(8, MAX_FRAME_LENGTH);
    Link link = new Link();
    Random chunks = new Random(seed);
    link.feed(head, chunks, maxChunk);
    link.feed(lie, chunks, maxChunk);
    s.valid(s.nextDataFrame());
    byte[] tail = s.bytes();
    byte[] last = java.util.Arrays.copyOfRange(tail, head.length, tail.length);
    link.feed(last, chunks, maxChunk);
    link.close();

    assertThat(link.maxBuffered).isGreaterThanOrEqualTo(MAX_FRAME_LENGTH - maxChunk).isLessThanOrEqualTo(MAX_FRAME_LENGTH + maxChunk);
    assertThat(link.sink.frames).hasSize(2);
    assertThat(link.sink.frames.get(1)).isEqualTo(last);
    assertThat(link.stats.skippedBytes()).isEqualTo(lie.length);
  }
}
