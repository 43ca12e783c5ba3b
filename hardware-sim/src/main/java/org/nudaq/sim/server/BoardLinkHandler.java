package org.nudaq.sim.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Per-connection handler: attaches the connection to its board's {@link ServedLink} (or closes it if
 * another client is connected), resumes writing when the channel becomes writable again, and
 * discards whatever the client sends (protocol version 1 is one-way). One instance per connection.
 */
public final class BoardLinkHandler extends ChannelInboundHandlerAdapter {
  private final ServedLink link;

  public BoardLinkHandler(ServedLink link) {
    this.link = link;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!link.attach(ctx.channel())) {
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    link.detach(ctx.channel());
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      link.drain(ctx.channel());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset by the client is normal (it reconnects); the link's counters say what was sent.
    ctx.close();
  }
}
