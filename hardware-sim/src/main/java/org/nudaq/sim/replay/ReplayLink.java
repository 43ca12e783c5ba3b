package org.nudaq.sim.replay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.sim.wire.ByteBufFrameWriter;

/**
 * The network side of one replayed board: sends the board's journaled frames byte for byte, in
 * order, to one client at a time, respecting channel writability (a slow client holds the replay
 * back; nothing is dropped or re-encoded).
 *
 * <ul>
 *   <li>A recorded link-down closes the connection after its frames; the next client continues with
 *       the next recorded frame (the HELLO of the recorded reconnection).</li>
 *   <li>A client that connects when the next frame is not a HELLO (it dropped mid-replay) first gets
 *       the board's last recorded HELLO again, as recorded: its sequence number went back, so a
 *       daemon counts a board restart, and frames written to the dropped connection are lost.</li>
 *   <li>At the end of the session a GOODBYE (reason 0) with the next sequence number is sent unless
 *       the recording's last frame was already the board's GOODBYE; then the connection closes and
 *       {@link #finished} completes.</li>
 * </ul>
 *
 * <p>Thread-safety: {@link #wake} from any thread; writing on the connected channel's event loop.
 */
public final class ReplayLink implements org.nudaq.sim.server.ServedLink {
  private final int boardId;
  private final ReplayFeed feed;
  private final ByteBufFrameWriter writer = new ByteBufFrameWriter();
  private final AtomicReference<Channel> active = new AtomicReference<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong helloResends = new AtomicLong();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();

  // Touched only on the connected channel's event loop (one client at a time).
  private boolean closing;
  private boolean helloSentOnConnection;
  private byte[] lastHello;
  private boolean closeBeforeNextFrame;
  private volatile int lastType = -1; // read by wake() on the feed's thread when no client is connected
  private long lastSequence = -1;

  ReplayLink(int boardId, ReplayFeed feed) {
    this.boardId = boardId;
    this.feed = feed;
    feed.setListener(this::wake);
  }

  public int boardId() {
    return boardId;
  }

  /** Frames written so far (recorded, re-sent HELLOs and the final GOODBYE if added). */
  public long framesSent() {
    return framesSent.get();
  }

  /** Recorded HELLOs sent again to a client that connected after a dropped one. */
  public long helloResends() {
    return helloResends.get();
  }

  /** Completes once the session's last frame and GOODBYE were written and the connection closed. */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  @Override
  public boolean attach(Channel ch) {
    if (finished.isDone() || !active.compareAndSet(null, ch)) {
      return false;
    }
    closing = false;
    closeBeforeNextFrame = false;
    helloSentOnConnection = false;
    drain(ch);
    return true;
  }

  @Override
  public void detach(Channel ch) {
    if (active.compareAndSet(ch, null)) {
      finishIfSaidGoodbye();
    }
  }

  /** The recorded GOODBYE was sent and only the end follows: done, even without a client. */
  private void finishIfSaidGoodbye() {
    ReplayItem next = feed.peek();
    while (next != null && next.isLinkDown()) {
      feed.poll();
      next = feed.peek();
    }
    if (next == ReplayFeed.END && lastType == FrameDescriptor.TYPE_GOODBYE) {
      finished.complete(null);
    }
  }

  /** Something was queued by the feed: drain on the connected channel's loop. */
  void wake() {
    if (drainScheduled.compareAndSet(false, true)) {
      Channel ch = active.get();
      if (ch == null) {
        drainScheduled.set(false);
        if (closeBeforeNextFrame || lastType == FrameDescriptor.TYPE_GOODBYE) {
          finishIfSaidGoodbye();
        }
        return;
      }
      ch.eventLoop().execute(() -> {
        drainScheduled.set(false);
        Channel c = active.get();
        if (c != null) {
          drain(c);
        }
      });
    }
  }

  /** Writes queued frames while the channel is writable. On the channel's event loop. */
  @Override
  public void drain(Channel ch) {
    boolean wrote = false;
    // A channel this link already let go of (closed by the recording) never writes again.
    while (active.get() == ch && !closing && ch.isActive() && ch.isWritable()) {
      ReplayItem item = feed.peek();
      if (item == null) {
        break;
      }
      if (item == ReplayFeed.END) {
        if (wrote) {
          ch.flush();
        }
        finish(ch);
        return;
      }
      if (item.isLinkDown()) {
        feed.poll();
        // The recorded connection ended here: close before the next recorded frame (not at once,
        // so that the end of the session after a GOODBYE leaves the connection to the client).
        closeBeforeNextFrame = helloSentOnConnection;
        continue;
      }
      if (closeBeforeNextFrame) {
        closeBeforeNextFrame = false;
        closing = true;
        // Free the link before the client can see the close: its reconnection may be accepted
        // (on another event loop) before this channel's channelInactive runs.
        active.compareAndSet(ch, null);
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      int type = item.frame()[FrameDescriptor.TYPE_OFFSET] & 0xFF;
      if (!helloSentOnConnection && type != FrameDescriptor.TYPE_HELLO && lastHello != null) {
        send(ch, lastHello);
        helloResends.incrementAndGet();
      }
      feed.poll();
      send(ch, item.frame());
      if (type == FrameDescriptor.TYPE_HELLO) {
        lastHello = item.frame();
      }
      lastType = type;
      lastSequence = sequence(item.frame());
      wrote = true;
    }
    if (wrote) {
      ch.flush();
    }
  }

  private void send(Channel ch, byte[] frame) {
    ch.write(Unpooled.wrappedBuffer(frame), ch.voidPromise());
    helloSentOnConnection = true;
    framesSent.incrementAndGet();
  }

  private void finish(Channel ch) {
    closing = true;
    if (lastType != FrameDescriptor.TYPE_GOODBYE && helloSentOnConnection) {
      ByteBuf buf = ch.alloc().ioBuffer(FrameDescriptor.GOODBYE_FRAME_LENGTH);
      writer.writeGoodbye(buf, boardId, lastSequence + 1, 0);
      ch.write(buf, ch.voidPromise());
      framesSent.incrementAndGet();
    }
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
      f.channel().close();
      finished.complete(null);
    });
  }

  private static long sequence(byte[] frame) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (frame[FrameDescriptor.SEQUENCE_OFFSET + i] & 0xFFL);
    }
    return v;
  }
}
