package org.nudaq.sim.wire;

import static org.nudaq.monitor.wire.FrameDescriptor.GOODBYE_FRAME_LENGTH;
import static org.nudaq.monitor.wire.FrameDescriptor.HELLO_FRAME_LENGTH;
import static org.nudaq.monitor.wire.FrameDescriptor.eventsFrameLength;
import static org.nudaq.monitor.wire.FrameDescriptor.statusFrameLength;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.FrameWriter;

/**
 * Writes protocol-version-1 frames into a Netty {@link ByteBuf} at its writer index. It does not
 * encode anything itself: the frame is written by the project's one encoder,
 * {@link org.nudaq.monitor.wire.FrameWriter}, into the buffer's own memory (Netty's internal NIO
 * view of the writable region, no copy and no allocation for pooled and unpooled buffers), and the
 * writer index is then moved past it. The buffer grows as needed (up to its max capacity). The
 * caller owns sequence numbers.
 *
 * <p>Not thread-safe: use one instance per event-loop thread or per channel.
 */
public final class ByteBufFrameWriter {

  private final FrameWriter frames = new FrameWriter();

  /** Appends a HELLO frame; returns its length in bytes. */
  public int writeHello(ByteBuf out, int boardId, long sequence, BoardHello hello) {
    ByteBuffer region = region(out, HELLO_FRAME_LENGTH);
    return advance(out, frames.writeHello(region, region.position(), boardId, sequence, hello));
  }

  /** Appends an EVENTS frame holding every event of {@code batch}; returns its length in bytes. */
  public int writeEvents(ByteBuf out, int boardId, long sequence, EventBatch batch) {
    int count = batch.size();
    ByteBuffer region = region(out, eventsFrameLength(count));
    frames.beginEvents(region, region.position(), boardId, sequence);
    for (int i = 0; i < count; i++) {
      frames.appendEvent(batch.timestampTicks(i), batch.channel(i), batch.energyAdc(i), batch.flags(i),
          batch.lostTriggersBefore(i));
    }
    return advance(out, frames.finishEvents());
  }

  /** Appends a STATUS frame; returns its length in bytes. */
  public int writeStatus(ByteBuf out, int boardId, long sequence, BoardStatus status) {
    ByteBuffer region = region(out, statusFrameLength(status.channels().size()));
    return advance(out, frames.writeStatus(region, region.position(), boardId, sequence, status));
  }

  /** Appends a GOODBYE frame; returns its length in bytes. */
  public int writeGoodbye(ByteBuf out, int boardId, long sequence, int reasonCode) {
    ByteBuffer region = region(out, GOODBYE_FRAME_LENGTH);
    return advance(out, frames.writeGoodbye(region, region.position(), boardId, sequence, reasonCode));
  }

  /** The next {@code length} bytes after the writer index, as a view the frame writer fills at its position. */
  private static ByteBuffer region(ByteBuf out, int length) {
    out.ensureWritable(length);
    return out.internalNioBuffer(out.writerIndex(), length);
  }

  private static int advance(ByteBuf out, int length) {
    out.writerIndex(out.writerIndex() + length);
    return length;
  }
}
