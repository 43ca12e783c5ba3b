package org.nudaq.server.compass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import org.nudaq.server.link.FrameSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to CoMPASS's TCP output: the bytes go through the {@link CompassStreamDecoder}
 * (alignment, plausibility), the records through the {@link CompassFrameAssembler} into wire frames,
 * and the frames to the daemon's {@link FrameSink} — the same queue, journal and pipeline as a
 * nudaq-protocol board's frames. When the sink is full the connection stops reading (autoRead off)
 * until there is room, as {@code link.BoardFrameHandler} does: nothing is dropped. Alignment found and
 * lost are logged (losses at most once every 10 s, with the count).
 *
 * <p>One instance per connection; event-loop thread only. The decoder and the assembler outlive the
 * connection (counters and sequence numbers continue).
 */
final class CompassStreamHandler extends ByteToMessageDecoder implements CompassFrameAssembler.FrameOut {
  private static final Logger LOG = LoggerFactory.getLogger(CompassStreamHandler.class);
  private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final String where;
  private final CompassStreamDecoder decoder;
  private final CompassFrameAssembler assembler;
  private final FrameSink sink;
  private final CompassStreamStats stats;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private long lastLossLogNanos = Long.MIN_VALUE / 2;
  private long lossesLogged;
  private boolean wasLocked;
  /** Skipped bytes when the decoder was last locked (or last reported as unable to lock). */
  private long skippedAtLock;
  /** Bytes skipped without finding an alignment before that is reported as an error. */
  private static final long NO_ALIGNMENT_BYTES = 1 << 16;

  /** A frame held while the sink is full (allocated only under back-pressure). */
  private record Pending(int boardId, ByteBuf frame) {}

  CompassStreamHandler(String where, CompassStreamDecoder decoder, CompassFrameAssembler assembler, FrameSink sink,
      CompassStreamStats stats) {
    this.where = where;
    this.decoder = decoder;
    this.assembler = assembler;
    this.sink = sink;
    this.stats = stats;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    decoder.reset();
    stats.connected(true);
    assembler.hello();
    for (int id : assembler.boardIds()) {
      sink.linkState(id, true);
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf b) {
      stats.bytesReceived.addAndGet(b.readableBytes());
    }
    super.channelRead(ctx, msg);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decoder.decode(in, assembler);
    assembler.flush();
    publish(in.readableBytes());
  }

  private void publish(long pendingBytes) {
    stats.decodedBytes.set(decoder.decodedBytes());
    stats.skippedBytes.set(decoder.skippedBytes());
    stats.pendingBytes.set(pendingBytes);
    stats.records.set(decoder.records());
    stats.events.set(assembler.events());
    stats.fakeRecords.set(assembler.fake());
    stats.locks.set(decoder.locks());
    long losses = decoder.lockLosses();
    stats.lockLosses.set(losses);
    stats.locked(decoder.locked());
    if (decoder.locked() && !wasLocked) {
      LOG.info("CoMPASS stream {}: record alignment found ({} bytes skipped so far)", where, decoder.skippedBytes());
    }
    wasLocked = decoder.locked();
    long now = System.nanoTime();
    if (decoder.locked()) {
      skippedAtLock = decoder.skippedBytes();
    } else if (decoder.skippedBytes() - skippedAtLock >= NO_ALIGNMENT_BYTES && now - lastLossLogNanos >= LOG_INTERVAL_NANOS) {
      LOG.error("CoMPASS stream {}: no record alignment in the last {} bytes (stream byte {}): the stream does not look like"
          + " {}-byte records of the declared layout with channels of compass.channels; check compass.stream (energy,"
          + " calibratedEnergy, energyShort; waveforms off) against CoMPASS's TCP output settings", where,
          decoder.skippedBytes() - skippedAtLock, decoder.decodedBytes() + decoder.skippedBytes(), decoder.recordLength());
      skippedAtLock = decoder.skippedBytes();
      lastLossLogNanos = now;
    }
    if (losses > lossesLogged && now - lastLossLogNanos >= LOG_INTERVAL_NANOS) {
      LOG.warn("CoMPASS stream {}: a record failed the plausibility check at stream byte {} ({} time(s) since the last"
          + " message): corrupt or lost bytes, or a record layout that disagrees with compass.stream; re-aligning,"
          + " {} bytes skipped in all", where, decoder.decodedBytes() + decoder.skippedBytes(), losses - lossesLogged,
          decoder.skippedBytes());
      lossesLogged = losses;
      lastLossLogNanos = now;
    }
  }

  @Override
  public void frame(int boardId, ByteBuffer buffer, int length) {
    stats.frames.incrementAndGet();
    ByteBuf frame = Unpooled.wrappedBuffer(buffer.array(), 0, length);
    if (pending.isEmpty() && sink.offer(boardId, frame, 0)) {
      return;
    }
    pending.add(new Pending(boardId, Unpooled.copiedBuffer(buffer.array(), 0, length)));
    sink.holding(1);
    if (ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      stats.backpressurePauses.incrementAndGet();
      sink.whenSpace(this::drainOnEventLoop);
    }
  }

  /** Drains on the link's event loop; if that has stopped (the daemon closed without waiting), what waits is lost, counted. */
  private void drainOnEventLoop() {
    try {
      ctx.executor().execute(this::drain);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      int n = pending.size();
      Pending p;
      while ((p = pending.poll()) != null) {
        p.frame().release();
        sink.holding(-1);
      }
      stats.framesLost.addAndGet(n);
      LOG.error("CoMPASS stream {}: {} frames received while the pipeline was full could not be passed on (the link's event"
          + " loop has stopped); counted as lost", where, n);
    }
  }

  private void drain() {
    while (!pending.isEmpty()) {
      Pending p = pending.peek();
      if (!sink.offer(p.boardId(), p.frame(), 0)) {
        sink.whenSpace(this::drainOnEventLoop);
        return;
      }
      pending.poll().frame().release();
      sink.holding(-1);
    }
    if (ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
      ctx.read();
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    // What is left in the cumulation (part of a record or of a search window) is lost with the connection.
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ByteBuf left = internalBuffer();
    long rest = left.readableBytes();
    left.skipBytes((int) rest);
    decoder.skipped(rest);
    decoder.reset(); // the next connection starts anywhere
    publish(0);
    stats.connected(false);
    for (int id : assembler.boardIds()) {
      sink.linkState(id, false);
    }
    if (!pending.isEmpty()) {
      sink.whenSpace(this::drainOnEventLoop);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("CoMPASS stream {}: link error: {}", where, cause.toString());
    ctx.close();
  }
}
