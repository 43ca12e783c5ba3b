package org.nudaq.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cap on open HTTP connections ({@code http.maxConnections}): each open connection holds a file
 * descriptor and buffers, so without a cap a client opening connections and leaving them idle could
 * exhaust the daemon's descriptors (1,000 idle connections were held for 30 s, issue 13). A connection
 * beyond the cap gets a JSON 503 at once and is closed, before any byte of it is read, and is counted.
 *
 * <p>Sharable: one instance for all connections of a server; thread-safe (atomics).
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final byte[] response;

  ConnectionLimit(int max) {
    this.max = max;
    String body = "{\"error\":\"too many connections: the daemon serves at most " + max
        + " at once (http.maxConnections); retry later\",\"status\":503}";
    this.response = ("HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\n"
        + "content-length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nconnection: close\r\nretry-after: 1\r\n\r\n"
        + body).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      refused.incrementAndGet();
      ctx.channel().config().setAutoRead(false);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(ChannelFutureListener.CLOSE);
      return; // not counted as open, and nothing further of it is handled
    }
    ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
    ctx.fireChannelActive();
  }

  /** Connections open now (those refused excluded). */
  int open() {
    return open.get();
  }

  /** Connections refused because {@link #max} were open. */
  long refused() {
    return refused.get();
  }
}
