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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection-level rules of one board link, after {@link WireFrameDecoder} (docs/wire-protocol.md
 * §2.2): the first frame is a HELLO from the configured board — frames before it are dropped and
 * counted, a connection without a HELLO after {@code helloTimeoutMs} is closed (the link reconnects),
 * a frame with another board's id is counted and closes the connection; sequence numbers are followed
 * ({@link SequenceTracker}: gaps counted, duplicates dropped, jumps beyond the window counted as
 * resets); frames go to the {@link FrameSink}, and when it is full the link stops reading (autoRead
 * off) until there is room again — TCP then holds back the board, and nothing is dropped. A frame
 * that cannot be handed over all the same (out of memory, the daemon stopping) is counted lost and
 * carried into the next frame's gap, never dropped silently.
 *
 * <p>One instance per connection; event-loop thread only.
 */
final class BoardFrameHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(BoardFrameHandler.class);

  private final int boardId;
  private final LinkStats stats;
  private final SequenceTracker sequence;
  private final FrameSink sink;
  /**
   * Called once per connection, at its first EVENTS or STATUS frame: the link works (the reconnect
   * backoff starts again). Not at the HELLO: a board that says HELLO and GOODBYE on every connection
   * (a finished run still listening) would otherwise be reconnected to every few ms, forever.
   */
  private final Runnable onFirstData;
  private boolean dataSeen;
  private final long helloTimeoutMs;
  private final ArrayDeque<PendingFrame> pending = new ArrayDeque<>();
  private boolean helloSeen;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> helloTimer;

  BoardFrameHandler(int boardId, LinkStats stats, SequenceTracker sequence, Runnable onFirstData, FrameSink sink,
      long helloTimeoutMs) {
    this.boardId = boardId;
    this.helloTimeoutMs = helloTimeoutMs;
    this.onFirstData = onFirstData;
    this.stats = stats;
    this.sequence = sequence;
    this.sink = sink;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    helloTimer = ctx.executor().schedule(() -> {
      if (!helloSeen && ctx.channel().isActive()) {
        stats.helloTimeouts.incrementAndGet();
        LOG.warn("board {}: no HELLO within digitizer.helloTimeoutMs={} ms of connecting; closing the connection and "
            + "connecting again", boardId, helloTimeoutMs);
        ctx.close();
      }
    }, helloTimeoutMs, TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
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
          + " closing the connection (it is made again with backoff)", boardId, board);
      stats.foreignFrames.incrementAndGet();
      ctx.close();
      return;
    }
    if (type == TYPE_HELLO) {
      if (sequence.hello(seq)) {
        stats.boardRestarts.incrementAndGet();
        LOG.warn("board {}: restarted (HELLO sequence {} went back); its counters start again", boardId,
            Long.toUnsignedString(seq));
      }
      helloSeen = true;
      if (helloTimer != null) {
        helloTimer.cancel(false);
      }
    } else if (!helloSeen) {
      stats.framesBeforeHello.incrementAndGet();
      if (!sequence.started()) {
        // No numbering to place it in yet: counted lost and carried into the HELLO's gap, without letting
        // its number (which a confused board may have put anywhere) decide what the HELLO means.
        stats.framesLost.incrementAndGet();
        sequence.dropped(1);
        frame.release();
        return;
      }
    }
    if (sequence.next(seq) == SequenceTracker.Verdict.DUPLICATE) {
      stats.duplicateFrames.incrementAndGet();
      if (type == TYPE_EVENTS) {
        stats.duplicateFrameEvents.addAndGet(frame.getUnsignedIntLE(start + EVENTS_COUNT_OFFSET));
      }
      frame.release();
      return;
    }
    if (sequence.lastWasReset()) {
      stats.sequenceResets.incrementAndGet();
      LOG.warn("board {}: sequence number jumped to {} (unsigned), beyond digitizer.sequenceJumpMaxFrames: counted as a "
          + "reset of the board's numbering, not as lost frames", boardId, Long.toUnsignedString(seq));
    }
    long gap = sequence.lastGap();
    // Frames of the gap that the link of the process stopped before this one counted lost already are
    // journaled with the gap (the session's accounting) but not counted again by this link.
    long newlyLost = gap - sequence.lastRecounted();
    if (newlyLost > 0) {
      stats.sequenceGaps.incrementAndGet();
      stats.framesLost.addAndGet(newlyLost);
    }
    // The frames lost just before this one: its sequence gap and frames the link could not pass on.
    long lostBefore = gap + sequence.lastCarried();
    if (!helloSeen) {
      // Before the HELLO: numbered like any frame, but dropped, so counted lost (and carried to the next frame).
      stats.framesLost.incrementAndGet();
      sequence.dropped(1 + lostBefore);
      frame.release();
      return;
    }
    stats.framesReceived.incrementAndGet();
    stats.bytesReceived.addAndGet(frame.readableBytes());
    if (type == TYPE_EVENTS) {
      stats.eventsReceived.addAndGet(frame.getUnsignedIntLE(start + EVENTS_COUNT_OFFSET));
    }
    if (type == TYPE_HELLO) {
      stats.up(true);
      sink.linkState(boardId, true);
    } else if (!dataSeen && type != TYPE_GOODBYE) {
      dataSeen = true;
      onFirstData.run();
    }
    try {
      deliver(frame, lostBefore);
    } catch (OutOfMemoryError | RuntimeException e) {
      // Not handed over: counted lost (and in the next frame's gap), never dropped silently.
      dropped(frame, lostBefore, e);
      frame.release();
      return;
    }
    if (type == TYPE_GOODBYE) {
      stats.goodbyes.incrementAndGet();
      if (dataSeen) {
        LOG.info("board {}: GOODBYE", boardId);
      } else {
        // A finished run answering each reconnection with HELLO and GOODBYE: not a line per attempt.
        LOG.debug("board {}: GOODBYE without data on this connection", boardId);
      }
    }
  }

  /**
   * A frame received whole that could not be passed on: it no longer counts as received, it counts as
   * lost, and it and the gap before it are carried into the next accepted frame's gap (so the journal's
   * accounting has it too). Logged with {@code why}, or not when {@code why} is null (the caller says it
   * in one line for many).
   */
  private void dropped(ByteBuf frame, long lostBefore, Throwable why) {
    int start = frame.readerIndex();
    stats.framesReceived.decrementAndGet();
    if (frame.getUnsignedByte(start + TYPE_OFFSET) == TYPE_EVENTS) {
      stats.eventsReceived.addAndGet(-frame.getUnsignedIntLE(start + EVENTS_COUNT_OFFSET));
    }
    stats.framesDropped.incrementAndGet();
    stats.framesLost.incrementAndGet();
    sequence.dropped(1 + lostBefore);
    if (why != null) { // null: the caller says it in one line for all of them
      LOG.error("board {}: a frame of sequence {} could not be passed on ({}); counted as lost", boardId,
          Long.toUnsignedString(frame.getLongLE(start + SEQUENCE_OFFSET)), why.toString());
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
    sink.holding(1);
    if (ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      stats.backpressurePauses.incrementAndGet();
      sink.whenSpace(() -> onEventLoop(this::drain));
    }
  }

  private void drain() {
    if (!offerPending(this::drain)) {
      return;
    }
    ctx.channel().config().setAutoRead(true);
    ctx.read();
  }

  /**
   * Hands the pending frames over; false (with {@code retry} registered for when there is space) if
   * some must still wait. A frame whose hand-over fails is counted as dropped.
   */
  private boolean offerPending(Runnable retry) {
    while (!pending.isEmpty()) {
      PendingFrame p = pending.peek();
      boolean taken;
      try {
        taken = sink.offer(boardId, p.frame(), p.framesLostBefore());
      } catch (OutOfMemoryError | RuntimeException e) {
        pending.poll();
        sink.holding(-1);
        dropped(p.frame(), p.framesLostBefore(), e);
        p.frame().release();
        continue;
      }
      if (!taken) {
        sink.whenSpace(() -> onEventLoop(retry));
        return false;
      }
      pending.poll().frame().release();
      sink.holding(-1);
    }
    return true;
  }

  /** Runs {@code task} on the link's event loop; if that has shut down (the daemon stopped), the pending frames are counted dropped. */
  private void onEventLoop(Runnable task) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      // The event loop is gone (the daemon stopped without waiting for them), so nothing else touches
      // this handler: count what still waits, in one line.
      int n = pending.size();
      PendingFrame p;
      while ((p = pending.poll()) != null) {
        sink.holding(-1);
        dropped(p.frame(), p.framesLostBefore(), null);
        p.frame().release();
      }
      if (n > 0) {
        LOG.error("board {}: {} frames received while the pipeline was full could not be passed on (the link's event loop"
            + " has stopped); counted as lost", boardId, n);
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (helloTimer != null) {
      helloTimer.cancel(false);
    }
    // Frames already received whole are still delivered, even though the link is gone.
    if (!pending.isEmpty()) {
      sink.whenSpace(() -> onEventLoop(this::drainAfterClose));
    }
    if (helloSeen) {
      stats.up(false);
      sink.linkState(boardId, false);
    }
    ctx.fireChannelInactive();
  }

  private void drainAfterClose() {
    offerPending(this::drainAfterClose);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("board {}: link error: {}", boardId, cause.toString());
    ctx.close();
  }
}
