package org.nudaq.sim.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Netty outbound handler: {@link WireFrame} → protocol-version-1 bytes (docs/wire-protocol.md),
 * each frame in an output buffer of exactly its length. Not sharable: it holds a
 * {@link ByteBufFrameWriter}, so add one instance per channel (it only runs on that channel's
 * event loop).
 */
public final class WireFrameEncoder extends MessageToByteEncoder<WireFrame> {

  private final ByteBufFrameWriter writer = new ByteBufFrameWriter();

  public WireFrameEncoder() {
    super(WireFrame.class);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, WireFrame msg, boolean preferDirect) {
    int length = msg.frameLength();
    return preferDirect ? ctx.alloc().ioBuffer(length, length) : ctx.alloc().heapBuffer(length, length);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, WireFrame msg, ByteBuf out) {
    if (msg instanceof WireFrame.Events e) {
      writer.writeEvents(out, e.boardId(), e.sequence(), e.events());
    } else if (msg instanceof WireFrame.Status s) {
      writer.writeStatus(out, s.boardId(), s.sequence(), s.status());
    } else if (msg instanceof WireFrame.Hello h) {
      writer.writeHello(out, h.boardId(), h.sequence(), h.hello());
    } else if (msg instanceof WireFrame.Goodbye g) {
      writer.writeGoodbye(out, g.boardId(), g.sequence(), g.reasonCode());
    } else {
      throw new IllegalArgumentException("unexpected WireFrame " + msg.getClass().getName());
    }
  }
}
