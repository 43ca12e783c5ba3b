package org.nudaq.server.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.AbstractNioChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A connection's last read when the daemon stops: what the board sent and this host's TCP already acknowledged
 * sits in the socket's receive buffer (and, under back-pressure, the link stopped reading it); closing the
 * socket would throw it away, counted nowhere. Before the close, the socket is read until a read finds it
 * empty, or at most its receive buffer's size ({@code SO_RCVBUF}: about what it can have held at the stop, so a
 * board that keeps sending does not keep the stop waiting). The bytes read go through the connection's
 * pipeline as any read: whole frames to the sink (held there under back-pressure, for the daemon's stop to hand
 * over), a frame cut at the end discarded and counted by the decoder when the connection closes.
 *
 * <p>Stateless; {@link #readWhatArrived} from any thread (the read itself runs on the channel's event loop).
 */
final class FinalRead {
  /** How long a stop waits for the event loop to do the read (it is quick: at most SO_RCVBUF bytes). */
  private static final long WAIT_SECONDS = 10;

  private FinalRead() {}

  /**
   * Reads what the channel's socket holds, as described above; returns the bytes read, 0 if the channel is
   * not open, is not an NIO socket, or its event loop has stopped.
   */
  static long readWhatArrived(Channel ch) {
    if (!ch.isActive() || !(ch.unsafe() instanceof AbstractNioChannel.NioUnsafe unsafe)) {
      return 0;
    }
    if (ch.eventLoop().inEventLoop()) {
      return read(ch, unsafe);
    }
    try {
      return ch.eventLoop().submit(() -> read(ch, unsafe)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** On the event loop: one read at a time (whatever autoRead is) until one reads nothing or the budget is read. */
  private static long read(Channel ch, AbstractNioChannel.NioUnsafe unsafe) {
    if (!ch.isActive()) {
      return 0;
    }
    Integer receiveBuffer = ch.config().getOption(ChannelOption.SO_RCVBUF);
    long budget = receiveBuffer == null || receiveBuffer <= 0 ? 1 << 20 : receiveBuffer;
    Counter counter = new Counter();
    ch.pipeline().addFirst(counter);
    try {
      while (ch.isActive() && counter.bytes < budget) {
        long before = counter.bytes;
        unsafe.read();
        if (counter.bytes == before) {
          break; // the socket was empty (or at its end)
        }
      }
    } finally {
      if (ch.pipeline().context(counter) != null) {
        ch.pipeline().remove(counter);
      }
    }
    return counter.bytes;
  }

  /** Counts the bytes of the reads, passing them on. */
  private static final class Counter extends ChannelInboundHandlerAdapter {
    long bytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf b) {
        bytes += b.readableBytes();
      }
      ctx.fireChannelRead(msg);
    }
  }
}
