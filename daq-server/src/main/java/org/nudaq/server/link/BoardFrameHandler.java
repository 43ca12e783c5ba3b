package org.nudaq.server.link;

import static org.nudaq.monitor.wire.FrameDescriptor.BOARD_ID_OFFSET;
import static org.nudaq.monitor.wire.FrameDescriptor.EVENTS_COUNT_OFFSET;
import static org.nudaq.monitor.wire.FrameDescriptor.SEQUENCE_OFFSET;
import static org.nudaq.monitor.wire.FrameDescriptor.TYPE_EVENTS;
import static org.nudaq.monitor.wire.FrameDescriptor.TYPE_GOODBYE;
import static org.nudaq.monitor.wire.FrameDescriptor.TYPE_HELLO;
import static org.nudaq.monitor.wire.FrameDescriptor.TYPE_OFFSET;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection-level rules of one board link, after {@link WireFrameDecoder}: the first frame is
 * a HELLO from the configured board; sequence numbers are followed (gaps counted, duplicates
 * dropped); frames go to the {@link FrameSink}, and when it is full the link stops reading
 * (autoRead off) until there is room again — TCP then holds back the board, and nothing is dropped.
 *
 * <p>One instance per connection; event-loop thread only.
 */
final class BoardFrameHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(BoardFrameHandler.class);

  private final int boardId;
  private final LinkStats stats;
  private final SequenceTracker sequence;
  private final FrameSink sink;
  private final Runnable onHello;
  private final ArrayDeque<PendingFrame> pending = new ArrayDeque<>();
  private boolean helloSeen;
  private ChannelHandlerContext ctx;

  BoardFrameHandler(int boardId, LinkStats stats, SequenceTracker sequence, Runnable onHello, FrameSink sink) {
    this.boardId = boardId;
    this.onHello = onHello;
    this.stats = stats;
    this.sequence = sequence;
    this.sink = sink;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    int start = frame.readerIndex();
    int type = frame.getUnsignedByte(start + TYPE_OFFSET);
    int board = frame.getUnsignedShortLE(start + BOARD_ID_OFFSET);
    long seq = frame.getLongLE(start + SEQUENCE_OFFSET);
    if (board != boardId) {
      frame.release();
      LOG.error("board {}: a frame from board id {} arrived on this link: check digitizer.boards in the configuration;"
          + " closing the connection", boardId, board);
      stats.malformedFrames.incrementAndGet();
      ctx.close();
      return;
    }
    if (type == TYPE_HELLO) {
      if (sequence.hello(seq)) {
        stats.boardRestarts.incrementAndGet();
        LOG.warn("board {}: restarted (HELLO sequence {} went back); its counters start again", boardId, seq);
      }
      helloSeen = true;
    } else if (!helloSeen) {
      stats.framesBeforeHello.incrementAndGet();
      frame.release();
      return;
    }
    if (sequence.next(seq) == SequenceTracker.Verdict.DUPLICATE) {
      stats.duplicateFrames.incrementAndGet();
      if (type == TYPE_EVENTS) {
        stats.duplicateFrameEvents.addAndGet(frame.getUnsignedIntLE(start + EVENTS_COUNT_OFFSET));
      }
      frame.release();
      return;
    }
    long gap = sequence.lastGap();
    if (gap > 0) {
      stats.sequenceGaps.incrementAndGet();
      stats.framesLost.addAndGet(gap);
    }
    stats.framesReceived.incrementAndGet();
    stats.bytesReceived.addAndGet(frame.readableBytes());
    if (type == TYPE_EVENTS) {
      stats.eventsReceived.addAndGet(frame.getUnsignedIntLE(start + EVENTS_COUNT_OFFSET));
    }
    if (type == TYPE_HELLO) {
      stats.up(true);
      onHello.run();
      sink.linkState(boardId, true);
    }
    deliver(frame, gap);
    if (type == TYPE_GOODBYE) {
      stats.goodbyes.incrementAndGet();
      LOG.info("board {}: GOODBYE", boardId);
    }
  }

  /** A frame held while the sink is full (allocated only under backpressure). */
  private record PendingFrame(ByteBuf frame, long framesLostBefore) {}

  private void deliver(ByteBuf frame, long framesLostBefore) {
    if (pending.isEmpty() && sink.offer(boardId, frame, framesLostBefore)) {
      frame.release();
      return;
    }
    pending.add(new PendingFrame(frame, framesLostBefore));
    if (ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      stats.backpressurePauses.incrementAndGet();
      sink.whenSpace(() -> ctx.executor().execute(this::drain));
    }
  }

  private void drain() {
    while (!pending.isEmpty()) {
      PendingFrame p = pending.peek();
      if (!sink.offer(boardId, p.frame(), p.framesLostBefore())) {
        sink.whenSpace(() -> ctx.executor().execute(this::drain));
        return;
      }
      pending.poll().frame().release();
    }
    ctx.channel().config().setAutoRead(true);
    ctx.read();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // Frames already received whole are still delivered, even though the link is gone.
    if (!pending.isEmpty()) {
      sink.whenSpace(() -> ctx.executor().execute(this::drainAfterClose));
    }
    if (helloSeen) {
      stats.up(false);
      sink.linkState(boardId, false);
    }
    ctx.fireChannelInactive();
  }

  private void drainAfterClose() {
    while (!pending.isEmpty()) {
      PendingFrame p = pending.peek();
      if (!sink.offer(boardId, p.frame(), p.framesLostBefore())) {
        sink.whenSpace(() -> ctx.executor().execute(this::drainAfterClose));
        return;
      }
      pending.poll().frame().release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("board {}: link error: {}", boardId, cause.toString());
    ctx.close();
  }
}
