package org.nudaq.server.ingest;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.nudaq.server.link.FrameSink;

/**
 * The bounded hand-off from the board links (event-loop threads) to the pipeline thread: frames are
 * copied into recycled slots, so nothing is allocated in steady state, and the queue holds at most
 * {@code slots} frames and about {@code maxBytes} bytes. When it is full, {@link #offer} says no and
 * the link stops reading (TCP holds back the board) until the pipeline has caught up below half —
 * never unbounded memory, never a dropped frame.
 *
 * <p>Thread-safety: many producers ({@link #offer}, {@link #whenSpace}), one consumer
 * ({@link #poll}, {@link #release}); sizes may be read from any thread.
 */
public final class FrameQueue implements FrameSink {

  /** A frame in the queue. Owned by the consumer between {@link #poll} and {@link #release}. */
  public static final class Slot {
    byte[] data = new byte[4096];
    int length;
    int boardId;
    long framesLostBefore;
    long receivedNanos;
    /** A link state change rather than a frame: +1 up, −1 down, 0 for a frame. */
    int linkState;

    public byte[] data() {
      return data;
    }

    public int length() {
      return length;
    }

    public int boardId() {
      return boardId;
    }

    public long framesLostBefore() {
      return framesLostBefore;
    }

    public long receivedNanos() {
      return receivedNanos;
    }

    /** +1 for "link up", −1 for "link down", 0 for a frame. */
    public int linkState() {
      return linkState;
    }
  }

  private final ArrayBlockingQueue<Slot> filled;
  private final ArrayBlockingQueue<Slot> free;
  private final long maxBytes;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong framesIn = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

  /**
   * @param slots    most frames held at once
   * @param maxBytes most bytes held at once (one frame is always accepted when the queue is empty)
   */
  public FrameQueue(int slots, long maxBytes) {
    this.filled = new ArrayBlockingQueue<>(slots);
    this.free = new ArrayBlockingQueue<>(slots);
    for (int i = 0; i < slots; i++) {
      free.add(new Slot());
    }
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean offer(int boardId, ByteBuf frame, long framesLostBefore) {
    int length = frame.readableBytes();
    if (queuedBytes.get() + length > maxBytes && !filled.isEmpty()) {
      refusals.incrementAndGet();
      return false;
    }
    Slot s = free.poll();
    if (s == null) {
      refusals.incrementAndGet();
      return false;
    }
    if (s.data.length < length) {
      s.data = new byte[Math.max(length, 2 * s.data.length)];
    }
    frame.getBytes(frame.readerIndex(), s.data, 0, length);
    s.length = length;
    s.boardId = boardId;
    s.framesLostBefore = framesLostBefore;
    s.receivedNanos = System.nanoTime();
    s.linkState = 0;
    queuedBytes.addAndGet(length);
    framesIn.incrementAndGet();
    filled.add(s);
    return true;
  }

  @Override
  public void linkState(int boardId, boolean up) {
    // Link changes travel in order with the frames; a free slot is waited for briefly since they
    // are rare and must not be lost.
    try {
      Slot s = free.poll(1, TimeUnit.SECONDS);
      if (s == null) {
        return; // the pipeline is stuck; the link metrics still show the state
      }
      s.length = 0;
      s.boardId = boardId;
      s.framesLostBefore = 0;
      s.receivedNanos = System.nanoTime();
      s.linkState = up ? 1 : -1;
      filled.add(s);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void whenSpace(Runnable callback) {
    waiters.add(callback);
    // Space may have been freed between the failed offer and now.
    if (hasRoom()) {
      runWaiters();
    }
  }

  /** The next frame, waiting up to the timeout; null if none arrived. Consumer thread only. */
  public Slot poll(long timeout, TimeUnit unit) throws InterruptedException {
    return filled.poll(timeout, unit);
  }

  /** The next frame, or null at once. Consumer thread only. */
  public Slot poll() {
    return filled.poll();
  }

  /** Gives a slot back once its frame is processed. Consumer thread only. */
  public void release(Slot slot) {
    queuedBytes.addAndGet(-slot.length);
    free.add(slot);
    if (!waiters.isEmpty() && hasRoom()) {
      runWaiters();
    }
  }

  /** Room again once the queue is below half of both bounds (hysteresis: no flapping of autoRead). */
  private boolean hasRoom() {
    return filled.size() <= (filled.size() + filled.remainingCapacity()) / 2 && queuedBytes.get() <= maxBytes / 2;
  }

  private void runWaiters() {
    Runnable r;
    while ((r = waiters.poll()) != null) {
      try {
        r.run();
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // The waiting link's event loop is already shut down (the daemon is stopping): nobody to wake,
        // and the consumer thread must go on draining.
      }
    }
  }

  /** Frames waiting for the pipeline: its lag. */
  public int size() {
    return filled.size();
  }

  public long queuedBytes() {
    return queuedBytes.get();
  }

  public long framesIn() {
    return framesIn.get();
  }

  /** Times a link was told to wait. */
  public long refusals() {
    return refusals.get();
  }
}
