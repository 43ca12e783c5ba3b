package org.nudaq.sim.board;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.sim.wire.EventBatch;

/**
 * A board's event memory between the generator thread (one producer) and the network (one consumer
 * at a time): organised, as in CAEN digitizers, in aggregate slots of {@code aggregateMaxEvents}
 * events each, at most {@code ⌈bufferEvents / aggregateMaxEvents⌉} of them. A channel needs a free
 * slot to store a trigger; when none is free the board is full and the trigger is lost (or, with
 * {@code blockWhenFull}, the producer waits: the simulator's "as fast as the client reads" pacing).
 * Memory is therefore bounded by about {@code bufferEvents × 24} bytes whatever the client does.
 *
 * <p>Filled aggregates ({@link EventBatch}) and STATUS latches ({@link BoardStatus}) wait in one FIFO,
 * so a STATUS is never sent before the events it covers. STATUS frames have their own small quota;
 * when it is used up (no client for a long time) further STATUS frames are dropped, which loses no
 * information since their counters are cumulative.
 *
 * <p>Thread-safety: {@link #acquire}, {@link #publish}, {@link #publishStatus} from the producer
 * thread only; {@link #poll} and {@link #release} from the consumer; the rest from any thread.
 */
public final class BoardBuffer {
  /** STATUS frames that may wait in the buffer at once. */
  public static final int STATUS_QUOTA = 4096;

  private final int aggregateMaxEvents;
  private final int maxSlots;
  private final boolean blockWhenFull;
  private final ArrayBlockingQueue<EventBatch> free;
  private final ArrayBlockingQueue<Object> frames;
  private final AtomicInteger queuedStatus = new AtomicInteger();
  private int allocatedSlots; // producer thread only
  private volatile Runnable listener = () -> {};
  private volatile boolean closed;

  /**
   * @param bufferEvents       capacity in events (SimulatorConfig.bufferEvents)
   * @param aggregateMaxEvents events per aggregate slot (1..65533)
   * @param blockWhenFull      true: {@link #acquire} waits for a free slot instead of reporting full
   */
  public BoardBuffer(int bufferEvents, int aggregateMaxEvents, boolean blockWhenFull) {
    if (bufferEvents < 1 || aggregateMaxEvents < 1) {
      throw new IllegalArgumentException("bufferEvents=" + bufferEvents + " and aggregateMaxEvents="
          + aggregateMaxEvents + " must be >= 1");
    }
    this.aggregateMaxEvents = aggregateMaxEvents;
    this.maxSlots = Math.max(2, (bufferEvents + aggregateMaxEvents - 1) / aggregateMaxEvents);
    this.blockWhenFull = blockWhenFull;
    this.free = new ArrayBlockingQueue<>(maxSlots);
    this.frames = new ArrayBlockingQueue<>(maxSlots + STATUS_QUOTA);
  }

  /** Called (on the producer thread) after each publish: the network side wakes up its writer. */
  public void setListener(Runnable listener) {
    this.listener = listener;
  }

  /** Number of aggregate slots: the buffer's size in aggregates. */
  public int maxSlots() {
    return maxSlots;
  }

  /** Events per aggregate slot. */
  public int aggregateMaxEvents() {
    return aggregateMaxEvents;
  }

  /** Slots ever allocated (never more than {@link #maxSlots()}); producer thread. */
  public int allocatedSlots() {
    return allocatedSlots;
  }

  /**
   * An empty aggregate slot, or {@code null} when the buffer is full (and, in blocking mode, only
   * once the buffer was {@link #close closed} or the thread interrupted).
   */
  public EventBatch acquire() {
    EventBatch b = free.poll();
    if (b != null) {
      return b;
    }
    if (allocatedSlots < maxSlots) {
      allocatedSlots++;
      return new EventBatch(aggregateMaxEvents);
    }
    if (!blockWhenFull) {
      return null;
    }
    try {
      while (!closed) {
        b = free.poll(10, TimeUnit.MILLISECONDS);
        if (b != null) {
          return b;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /** Queues a filled aggregate for sending (always succeeds: the queue has room for every slot). */
  public void publish(EventBatch aggregate) {
    frames.add(aggregate);
    listener.run();
  }

  /** Queues a STATUS latch; {@code false} (dropped) when the STATUS quota is used up. */
  public boolean publishStatus(BoardStatus status) {
    if (queuedStatus.get() >= STATUS_QUOTA) {
      return false;
    }
    queuedStatus.incrementAndGet();
    frames.add(status);
    listener.run();
    return true;
  }

  /** The oldest queued item, an {@link EventBatch} or a {@link BoardStatus}, or null. Consumer side. */
  public Object poll() {
    Object o = frames.poll();
    if (o instanceof BoardStatus) {
      queuedStatus.decrementAndGet();
    }
    return o;
  }

  /** The oldest queued item without removing it, or null. Consumer side. */
  public Object peek() {
    return frames.peek();
  }

  /** Gives a sent aggregate's slot back. Consumer side. */
  public void release(EventBatch aggregate) {
    aggregate.clear();
    free.offer(aggregate);
  }

  /** Items (aggregates and STATUS latches) waiting to be sent. */
  public int queuedFrames() {
    return frames.size();
  }

  /** Events waiting in queued aggregates (a snapshot; for the ground truth at stop). */
  public long queuedEvents() {
    long n = 0;
    for (Object o : frames) {
      if (o instanceof EventBatch b) {
        n += b.size();
      }
    }
    return n;
  }

  /** Wakes a producer blocked in {@link #acquire}; from then on a full buffer reports full. */
  public void close() {
    closed = true;
  }
}
