package org.nudaq.sim.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.sim.board.BoardBuffer;
import org.nudaq.sim.board.BoardModel;
import org.nudaq.sim.wire.ByteBufFrameWriter;
import org.nudaq.sim.wire.EventBatch;

/**
 * The network side of one board: owns the board's frame sequence (continuing across connections,
 * protocol §5), accepts one client at a time, sends it HELLO and then the board's buffer in order,
 * respecting channel writability (TCP backpressure: frames stay in the bounded {@link BoardBuffer},
 * where the board then loses triggers, as hardware does), and injects the link faults of a
 * {@link FaultSpec}.
 *
 * <p>A second client while one is connected is refused: its connection is closed at once, before
 * any frame (a GOODBYE would use a sequence number of the connected client's stream).
 *
 * <p>Thread-safety: {@link #wake} and {@link #finish} from any thread; everything that writes runs
 * on the event loop of the connected channel. Frames are encoded there, so the sequence number is
 * the one of the connection that carries them.
 */
public final class BoardLink implements ServedLink {
  /** GOODBYE reason code: normal end of the simulated run. */
  public static final int GOODBYE_NORMAL = 0;

  private static final int PREFIX = FrameDescriptor.PREFIX_LENGTH;

  private final BoardModel board;
  private final BoardBuffer buffer;
  private final int boardId;
  private final long statusPeriodMs;
  private final FaultSpec faults;
  private final SplittableRandom random;
  private final LinkCounters counters;
  private final ByteBufFrameWriter writer = new ByteBufFrameWriter();
  private final AtomicLong nextSequence = new AtomicLong();
  private final AtomicLong numberedThroughGoodbye = new AtomicLong(-1);
  private final AtomicReference<Channel> active = new AtomicReference<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final Runnable drainTask = this::drainActive;
  private volatile boolean stalled;
  private volatile boolean finishing;

  // Per connection; touched only on the connected channel's event loop.
  private boolean closing;
  private boolean draining;
  private long framesOnConnection;
  private long lastSequence;

  /**
   * @param board          the board (HELLO fields; its buffer is what this link sends)
   * @param statusPeriodMs the STATUS period announced in HELLO, ms of board time
   * @param faults         link faults to inject
   * @param seed           seed of the fault decisions
   */
  public BoardLink(BoardModel board, long statusPeriodMs, FaultSpec faults, long seed) {
    this.board = board;
    this.buffer = board.buffer();
    this.boardId = board.boardId();
    this.statusPeriodMs = statusPeriodMs;
    this.faults = faults;
    this.random = new SplittableRandom(seed);
    this.counters = new LinkCounters(board.channelCount());
    buffer.setListener(this::wake);
  }

  public BoardModel board() {
    return board;
  }

  public LinkCounters counters() {
    return counters;
  }

  /** The sequence number the next frame will take. */
  public long nextSequence() {
    return nextSequence.get();
  }

  /**
   * The frames numbered up to and including the run's GOODBYE (the first one, after {@link #finish}):
   * its sequence number + 1; −1 before it. A client that connects to the finished board afterwards is
   * sent a HELLO and a GOODBYE, numbered after it, each time.
   */
  public long framesNumberedThroughGoodbye() {
    return numberedThroughGoodbye.get();
  }

  /** Completes once the GOODBYE was written after {@link #finish}. */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  /** Whether a client is connected. */
  public boolean connected() {
    return active.get() != null;
  }

  /** Schedules the stall fault, if any, on {@code executor} (relative to now). */
  void scheduleStall(EventExecutorGroup executor) {
    if (faults.stallDurationMs() <= 0) {
      return;
    }
    executor.schedule(() -> {
      stalled = true;
      counters.stalls.incrementAndGet();
    }, faults.stallAtMs(), TimeUnit.MILLISECONDS);
    executor.schedule(() -> {
      stalled = false;
      wake();
    }, faults.stallAtMs() + faults.stallDurationMs(), TimeUnit.MILLISECONDS);
  }

  /** A client connected: returns false (and the caller closes it) if another one is connected. */
  @Override
  public boolean attach(Channel ch) {
    if (!active.compareAndSet(null, ch)) {
      counters.rejectedClients.incrementAndGet();
      return false;
    }
    counters.connections.incrementAndGet();
    closing = false;
    framesOnConnection = 0;
    long seq = nextSequence.getAndIncrement();
    lastSequence = seq;
    BoardHello hello = new BoardHello(board.boardTimeTicks(), board.tickLengthPs(), statusPeriodMs, 1, 0,
        board.channelCount(), board.config().adcBits(), FrameDescriptor.CAPABILITY_SIMULATOR);
    ByteBuf buf = ch.alloc().ioBuffer(FrameDescriptor.HELLO_FRAME_LENGTH);
    writer.writeHello(buf, boardId, seq, hello);
    ch.writeAndFlush(buf, ch.voidPromise()); // at once, even when the buffer has nothing to follow
    counters.framesSent.incrementAndGet();
    if (faults.disconnectEveryMs() > 0) {
      ch.eventLoop().schedule(() -> {
        if (active.get() == ch && !closing) {
          counters.disconnects.incrementAndGet();
          closeAfterFlush(ch);
        }
      }, faults.disconnectEveryMs(), TimeUnit.MILLISECONDS);
    }
    drain(ch);
    return true;
  }

  @Override
  public void detach(Channel ch) {
    active.compareAndSet(ch, null);
  }

  /** New frames are queued (producer thread) or the link may proceed: drain on the connected loop. */
  public void wake() {
    if (drainScheduled.compareAndSet(false, true)) {
      Channel ch = active.get();
      if (ch == null) {
        drainScheduled.set(false);
        return;
      }
      ch.eventLoop().execute(drainTask);
    }
  }

  /** Ends the stream: the buffer is sent out, then GOODBYE, then the connection closes. */
  public void finish() {
    finishing = true;
    wake();
  }

  private void drainActive() {
    drainScheduled.set(false);
    Channel ch = active.get();
    if (ch != null) {
      if (ch.eventLoop().inEventLoop()) {
        drain(ch);
      } else {
        wake();
      }
    }
  }

  /**
   * Writes queued frames while the channel is writable. On the channel's event loop. Not re-entrant:
   * a flush can fire a writability change, whose drain is then folded into this one.
   */
  @Override
  public void drain(Channel ch) {
    if (draining) {
      return;
    }
    draining = true;
    try {
      drainLoop(ch);
    } finally {
      draining = false;
    }
  }

  private void drainLoop(Channel ch) {
    while (true) {
      if (stalled || closing || !ch.isActive()) {
        return;
      }
      boolean wrote = false;
      while (ch.isWritable() && buffer.peek() != null) {
        if (faults.garbageProbability() > 0 && random.nextDouble() < faults.garbageProbability()) {
          writeGarbage(ch);
          return;
        }
        writeFrame(ch, buffer.poll());
        wrote = true;
        if (closing) {
          return;
        }
        if (faults.disconnectEveryFrames() > 0 && ++framesOnConnection >= faults.disconnectEveryFrames()) {
          counters.disconnects.incrementAndGet();
          closeAfterFlush(ch);
          return;
        }
      }
      if (wrote) {
        ch.flush();
      }
      if (finishing && buffer.peek() == null) {
        writeGoodbye(ch);
        return;
      }
      if (!ch.isWritable() || buffer.peek() == null) {
        return; // resumed by channelWritabilityChanged or the next wake()
      }
    }
  }

  private void writeGoodbye(Channel ch) {
    closing = true;
    ByteBuf buf = ch.alloc().ioBuffer(FrameDescriptor.GOODBYE_FRAME_LENGTH);
    long seq = nextSequence.getAndIncrement();
    numberedThroughGoodbye.compareAndSet(-1, seq + 1);
    writer.writeGoodbye(buf, boardId, seq, GOODBYE_NORMAL);
    counters.framesSent.incrementAndGet();
    counters.goodbyes.incrementAndGet();
    ch.writeAndFlush(buf).addListener((ChannelFutureListener) f -> {
      f.channel().close();
      finished.complete(null);
    });
  }

  private void writeFrame(Channel ch, Object item) {
    long seq = sequenceForFrame();
    ByteBuf buf;
    int channel = -1;
    int events = 0;
    if (item instanceof EventBatch batch) {
      int length = FrameDescriptor.eventsFrameLength(batch.size());
      buf = ch.alloc().ioBuffer(length, length);
      writer.writeEvents(buf, boardId, seq, batch);
      channel = batch.channel(0);
      events = batch.size();
      buffer.release(batch);
    } else {
      BoardStatus status = (BoardStatus) item;
      int length = FrameDescriptor.statusFrameLength(status.channels().size());
      buf = ch.alloc().ioBuffer(length, length);
      writer.writeStatus(buf, boardId, seq, status);
    }
    counters.framesSent.incrementAndGet();
    if (faults.corruptProbability() > 0 && random.nextDouble() < faults.corruptProbability()) {
      // After the CRC: any byte past the length field, before the CRC, so the CRC check catches it.
      int pos = PREFIX + random.nextInt(buf.writerIndex() - PREFIX - FrameDescriptor.CRC_LENGTH);
      buf.setByte(pos, buf.getByte(pos) ^ (1 + random.nextInt(255)));
      counters.corruptFrames.incrementAndGet();
      damaged(channel, events);
      ch.write(buf, ch.voidPromise());
      closeAfterFlush(ch);
      return;
    }
    if (faults.truncateProbability() > 0 && random.nextDouble() < faults.truncateProbability()) {
      buf.writerIndex(1 + random.nextInt(buf.writerIndex() - 1));
      counters.truncatedFrames.incrementAndGet();
      damaged(channel, events);
      ch.write(buf, ch.voidPromise());
      closeAfterFlush(ch);
      return;
    }
    if (events > 0) {
      counters.sentEvents.addAndGet(channel, events);
    }
    ch.write(buf, ch.voidPromise());
  }

  private void damaged(int channel, int events) {
    if (events > 0) {
      counters.damagedEvents.addAndGet(channel, events);
    }
  }

  private long sequenceForFrame() {
    long seq;
    if (faults.dupSeqProbability() > 0 && random.nextDouble() < faults.dupSeqProbability()) {
      seq = lastSequence;
      counters.duplicatedSequences.incrementAndGet();
    } else {
      if (faults.skipSeqProbability() > 0 && random.nextDouble() < faults.skipSeqProbability()) {
        nextSequence.getAndIncrement();
        counters.skippedSequences.incrementAndGet();
      }
      seq = nextSequence.getAndIncrement();
    }
    lastSequence = seq;
    return seq;
  }

  private void writeGarbage(Channel ch) {
    int n = 1 + random.nextInt(64);
    ByteBuf buf = ch.alloc().ioBuffer(n);
    for (int i = 0; i < n; i++) {
      buf.writeByte(random.nextInt(256));
    }
    if (buf.getByte(0) == 0x4E) { // never the first byte of the magic "NUDQ"
      buf.setByte(0, 0x00);
    }
    counters.garbageInsertions.incrementAndGet();
    ch.write(buf, ch.voidPromise());
    closeAfterFlush(ch);
  }

  /** Stops writing to this connection and closes it once everything written is on the wire. */
  private void closeAfterFlush(Channel ch) {
    closing = true;
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }
}
