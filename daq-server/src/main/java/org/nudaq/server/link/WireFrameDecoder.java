package org.nudaq.server.link;

import static org.nudaq.monitor.wire.FrameDescriptor.MAGIC;
import static org.nudaq.monitor.wire.FrameDescriptor.PREFIX_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.monitor.wire.FrameVisitor;
import org.nudaq.monitor.wire.WireFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the digitizer byte stream into validated frames (docs/wire-protocol.md): magic, version,
 * type and length are checked from the first 12 bytes, the whole frame by CRC-32C and layout. A
 * frame that fails is dropped and the decoder searches for the next magic word, one byte further,
 * so corruption, truncation or garbage costs only the frames it touched (they show up as a sequence
 * gap). Nothing is buffered beyond one maximum-length frame (1 MiB). Emits each valid frame as a
 * retained slice; every problem is counted in {@link LinkStats} and logged (at most once a second).
 *
 * <p>One instance per connection (not sharable); runs on the channel's event loop.
 */
public final class WireFrameDecoder extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(WireFrameDecoder.class);
  private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;
  /** The first byte of the magic word on the wire ('N'). */
  private static final byte MAGIC_FIRST_BYTE = (byte) MAGIC;

  private final LinkStats stats;
  private final FrameReader reader = new FrameReader();
  private final FrameVisitor validateOnly = new NoOpVisitor();
  /** Bytes consumed since the connection opened: the stream offset errors are reported at. */
  private long streamOffset;
  private long lastLogNanos = Long.MIN_VALUE / 2;
  private long suppressed;
  /**
   * How far past the current frame's start {@link #validFrameInside} has looked while waiting for a
   * long frame (relative, because the decoder may compact its buffer), or −1.
   */
  private int scannedUpTo = -1;

  public WireFrameDecoder(LinkStats stats) {
    this.stats = stats;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= PREFIX_LENGTH) {
      int start = in.readerIndex();
      if (in.getIntLE(start) != MAGIC) {
        resync(in, "no magic word");
        continue;
      }
      int length;
      try {
        length = FrameReader.validatePrefix(in.nioBuffer(start, PREFIX_LENGTH), 0);
      } catch (WireFormatException e) {
        stats.malformedFrames.incrementAndGet();
        report(e.getMessage());
        discard(in, 1);
        continue;
      }
      if (in.readableBytes() < length) {
        // Wait for the rest (bounded by the 1 MiB maximum) unless a whole valid frame already
        // starts inside the announced length: then this header lied (truncated or corrupt frame).
        int later = validFrameInside(in, start, start + length);
        if (later < 0) {
          return;
        }
        stats.malformedFrames.incrementAndGet();
        report("frame at stream offset 0x" + Long.toHexString(streamOffset) + " announces " + length
            + " bytes but a valid frame starts " + (later - start) + " bytes in: truncated");
        discard(in, later - start);
        continue;
      }
      ByteBuffer frame = in.nioBuffer(start, length);
      try {
        reader.decode(frame, 0, length, validateOnly);
      } catch (WireFormatException e) {
        if (e.reason() == org.nudaq.monitor.wire.WireError.CRC_MISMATCH) {
          stats.crcErrors.incrementAndGet();
        } else {
          stats.malformedFrames.incrementAndGet();
        }
        report(e.getMessage());
        // The length itself may be what was corrupted: look for the next frame one byte on.
        discard(in, 1);
        continue;
      }
      scannedUpTo = -1;
      out.add(in.retainedSlice(start, length));
      skip(in, length);
    }
  }

  /**
   * The start of the first complete, valid frame after {@code start} and before {@code end}, or −1.
   * Remembers how far it looked, so waiting for a long frame costs one scan of each byte.
   */
  private int validFrameInside(ByteBuf in, int start, int end) {
    int from = start + Math.max(1, scannedUpTo);
    int limit = Math.min(end, in.writerIndex()) - PREFIX_LENGTH;
    for (int i = from; i <= limit; i++) {
      // Jump to the next byte that can start a magic word (indexOf is word-at-a-time): a 1 MiB frame
      // arriving in 64 KiB reads is scanned at memory speed, not with a 4-byte read per byte.
      i = in.indexOf(i, limit + 1, MAGIC_FIRST_BYTE);
      if (i < 0) {
        break;
      }
      if (in.getIntLE(i) != MAGIC) {
        continue;
      }
      int length;
      try {
        length = FrameReader.validatePrefix(in.nioBuffer(i, PREFIX_LENGTH), 0);
      } catch (WireFormatException e) {
        continue;
      }
      if (i + length > in.writerIndex()) {
        // Cannot tell yet; look again from here when more bytes arrive.
        scannedUpTo = i - start;
        return -1;
      }
      try {
        reader.decode(in.nioBuffer(i, length), 0, length, validateOnly);
        return i;
      } catch (WireFormatException e) {
        // not a frame after all
      }
    }
    scannedUpTo = Math.max(from, limit + 1) - start;
    return -1;
  }

  private void resync(ByteBuf in, String why) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int found = -1;
    for (int i = start + 1; i + 4 <= end; i++) {
      if (in.getIntLE(i) == MAGIC) {
        found = i;
        break;
      }
    }
    // Without a magic word keep the last 3 bytes: they may be the start of one.
    int next = found >= 0 ? found : Math.max(start + 1, end - 3);
    int skipped = next - start;
    stats.resyncs.incrementAndGet();
    stats.skippedBytes.addAndGet(skipped);
    report(why + ": skipped " + skipped + " bytes");
    skip(in, skipped);
  }

  /**
   * At the end of the connection: what is still buffered (a frame cut off by the disconnect, or
   * garbage too short to judge) is discarded and counted, so every byte received is either in a
   * valid frame or in {@link LinkStats#skippedBytes()}.
   */
  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    int rest = in.readableBytes();
    if (rest > 0) {
      stats.cutFrameBytes.addAndGet(rest);
      report("connection closed inside a frame: discarded " + rest + " bytes");
      discard(in, rest);
    }
  }

  /** Skips bytes that are not part of a valid frame, counting them. */
  private void discard(ByteBuf in, int n) {
    stats.skippedBytes.addAndGet(n);
    skip(in, n);
  }

  private void skip(ByteBuf in, int n) {
    in.skipBytes(n);
    scannedUpTo = -1;
    streamOffset += n;
  }

  private void report(String what) {
    long now = System.nanoTime();
    if (now - lastLogNanos >= LOG_INTERVAL_NANOS) {
      LOG.warn("board {}: bad input at stream offset 0x{}: {}{}", stats.boardId(), Long.toHexString(streamOffset), what,
          suppressed > 0 ? " (" + suppressed + " more since the last message)" : "");
      lastLogNanos = now;
      suppressed = 0;
    } else {
      suppressed++;
    }
  }

  /** Validation needs no callbacks: the frame is decoded for real on the pipeline thread. */
  private static final class NoOpVisitor implements FrameVisitor {
    @Override public void onHello(int boardId, long sequence, BoardHello hello) {}
    @Override public void onEventsBegin(int boardId, long sequence, int eventCount) {}
    @Override public void onEvent(long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore) {}
    @Override public void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks, int reactorState, long reactorPowerPpm, int channelCount) {}
    @Override public void onChannelStatus(int channel, long liveTimeTicks, long deadTimeTicks, long acceptedTriggers, long lostTriggers) {}
    @Override public void onGoodbye(int boardId, long sequence, int reasonCode) {}
  }
}
