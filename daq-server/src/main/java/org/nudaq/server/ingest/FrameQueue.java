package org.nudaq.server.ingest;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.nudaq.server.link.FrameSink;

/**
 * The bounded hand-off from the board links (event-loop threads) to the pipeline thread, bounded in
 * bytes of heap, not only in frames: whatever the boards send, the queue holds at most
 * {@code maxBytes} bytes of heap for frames, plus one frame of at most 1 MiB (the one always taken
 * into an empty queue). Half of the bound is for the frames waiting ({@link #queuedBytes()} at most
 * {@code maxBytes / 2} unless the queue holds a single frame), half for the recycled slot buffers
 * ({@code maxBytes / 2 / slots} bytes each at most), so small frames cost no allocation in steady state;
 * a frame larger than a slot's recycled buffer is copied into an array of its own, dropped when the
 * frame is released. When the queue is full, {@link #offer} says no and the link stops reading (TCP
 * holds back the board) until the pipeline has caught up below half — never unbounded memory, never a
 * dropped frame. {@link #heapBytes()} is what the queue holds now (a metric).
 *
 * <p>Why bytes: with slots alone, each of 4,096 slots kept its largest buffer, and a board sending
 * 1 MiB frames made the queue hold 4 GiB (issue 13).
 *
 * <p>Thread-safety: many producers ({@link #offer}, {@link #whenSpace}), one consumer
 * ({@link #poll}, {@link #release}); sizes may be read from any thread.
 */
public final class FrameQueue implements FrameSink {
  /** Slot count of {@link #forBytes}: one slot per this many bytes of the bound, within [64, 4096]. */
  static final long BYTES_PER_SLOT = 16 << 10;
  /** First size of a slot's recycled buffer (it doubles up to the per-slot bound as larger frames come), bytes. */
  static final int FIRST_BUFFER_BYTES = 4096;

  /** A frame in the queue. Owned by the consumer between {@link #poll} and {@link #release}. */
  public static final class Slot {
    /** The slot's own buffer, at most the queue's per-slot bound; reused. */
    byte[] recycled;
    /** The current frame's bytes: {@link #recycled}, or an array of its own for a larger frame. */
    byte[] data;
    int length;
    int boardId;
    long framesLostBefore;
    long receivedNanos;
    /** A link state change rather than a frame: +1 up, −1 down, 0 for a frame. */
    int linkState;

    Slot(int bufferBytes) {
      recycled = new byte[bufferBytes];
      data = recycled;
    }

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
  /** The bound of {@link #size()}, fixed at construction (read as size + remaining it could race past the bound). */
  private final int capacityFrames;
  private final long maxQueuedBytes;
  private final int slotBufferMaxBytes;
  private final AtomicLong queuedBytes = new AtomicLong();
  /** Frames the links hold, received whole but refused by a full queue (see {@link #holding}). */
  private final AtomicLong heldByLinks = new AtomicLong();
  private final AtomicLong heapBytes = new AtomicLong();
  private final AtomicLong framesIn = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

  /**
   * @param slots    most frames held at once
   * @param maxBytes most bytes of heap held for frames (one frame is always accepted when the queue is empty)
   */
  public FrameQueue(int slots, long maxBytes) {
    if (slots < 1 || maxBytes < 2) {
      throw new IllegalArgumentException("frame queue: slots=" + slots + " and maxBytes=" + maxBytes + " must be >= 1 and >= 2");
    }
    this.filled = new ArrayBlockingQueue<>(slots);
    this.capacityFrames = slots;
    this.free = new ArrayBlockingQueue<>(slots);
    this.maxBytes = maxBytes;
    this.maxQueuedBytes = maxBytes / 2;
    this.slotBufferMaxBytes = (int) Math.min(Integer.MAX_VALUE - 16, maxBytes / 2 / slots);
    int first = Math.min(FIRST_BUFFER_BYTES, slotBufferMaxBytes);
    for (int i = 0; i < slots; i++) {
      free.add(new Slot(first));
    }
    heapBytes.set((long) first * slots);
  }

  /** A queue bounded by {@code maxBytes} of heap, with one slot per 16 KiB of it (64 to 4,096 slots). */
  public static FrameQueue forBytes(long maxBytes) {
    int slots = (int) Math.max(64, Math.min(4096, maxBytes / BYTES_PER_SLOT));
    return new FrameQueue(slots, maxBytes);
  }

  @Override
  public boolean offer(int boardId, ByteBuf frame, long framesLostBefore) {
    int length = frame.readableBytes();
    if (queuedBytes.get() + length > maxQueuedBytes && !filled.isEmpty()) {
      refusals.incrementAndGet();
      return false;
    }
    Slot s = free.poll();
    if (s == null) {
      refusals.incrementAndGet();
      return false;
    }
    try {
      s.data = bufferFor(s, length);
    } catch (OutOfMemoryError e) {
      free.add(s); // the caller counts the frame it could not hand over
      throw e;
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

  /** The slot's recycled buffer, grown (up to the per-slot bound) if needed, or an array of the frame's own. */
  private byte[] bufferFor(Slot s, int length) {
    if (s.recycled.length >= length) {
      return s.recycled;
    }
    if (length <= slotBufferMaxBytes) {
      int grown = (int) Math.min(slotBufferMaxBytes, Math.max(length, 2L * s.recycled.length));
      byte[] b = new byte[grown];
      heapBytes.addAndGet(grown - s.recycled.length);
      s.recycled = b;
      return b;
    }
    byte[] own = new byte[length];
    heapBytes.addAndGet(length);
    return own;
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
      s.data = s.recycled;
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
    if (slot.data != slot.recycled) {
      heapBytes.addAndGet(-slot.data.length);
      slot.data = slot.recycled; // the frame's own array goes to the garbage collector
    }
    slot.length = 0;
    free.add(slot);
    if (!waiters.isEmpty() && hasRoom()) {
      runWaiters();
    }
  }

  /** Room again once the queue is below half of both bounds (hysteresis: no flapping of autoRead). */
  private boolean hasRoom() {
    return filled.size() <= capacityFrames / 2 && queuedBytes.get() <= maxQueuedBytes / 2;
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

  @Override
  public void holding(int frames) {
    heldByLinks.addAndGet(frames);
  }

  /** Frames the links received whole and hold until the queue has room (back-pressure); the daemon waits for them at shutdown. */
  public long framesHeldByLinks() {
    return heldByLinks.get();
  }

  /** Most frames the queue holds at once: the bound of {@link #size()}. */
  public int capacityFrames() {
    return capacityFrames;
  }

  /** Bytes of the frames waiting (at most half the bound, unless a single frame waits). */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  /** Heap the queue holds for frames now: recycled slot buffers plus the arrays of large frames waiting, bytes. */
  public long heapBytes() {
    return heapBytes.get();
  }

  /** The configured bound on {@link #heapBytes()} (plus one frame of at most 1 MiB), bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  public long framesIn() {
    return framesIn.get();
  }

  /** Times a link was told to wait. */
  public long refusals() {
    return refusals.get();
  }
}
