package org.nudaq.sim.board;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * so a STATUS is never sent before the events it covers. STATUS frames have their own quota
 * ({@link #STATUS_QUOTA}); when it is used up (no client for a long time) a further STATUS is dropped
 * only if it carries the same reactor state as the last queued one. That loses nothing: its
 * counters are cumulative, and the daemon books the time from one STATUS to the next under the
 * earlier one's state, which is the dropped frame's state too. A STATUS that changes the reactor
 * state is always queued, over the quota if need be (up to {@link #STATE_CHANGE_RESERVE} more, i.e.
 * that many reactor transitions with no client), so the daemon sees every change at its time; a
 * dropped change would book a whole gap under the previous state (a 0.3-day OFF period was seen
 * as 0.30–0.45 days of OFF live time before this rule). The latest dropped STATUS is held and
 * sent once everything queued is out (unless a newer STATUS was queued meanwhile, which covers
 * it): without it the time from the last queued STATUS to the end of a run would never be booked.
 *
 * <p>Thread-safety: {@link #acquire}, {@link #publish}, {@link #publishStatus} from the producer
 * thread only; {@link #poll} and {@link #release} from the consumer; the rest from any thread.
 */
public final class BoardBuffer {
  /** STATUS frames that may wait in the buffer at once. */
  public static final int STATUS_QUOTA = 4096;
  /** STATUS frames that change the reactor state and may wait beyond {@link #STATUS_QUOTA}. */
  public static final int STATE_CHANGE_RESERVE = 4096;

  private final int aggregateMaxEvents;
  private final int maxSlots;
  private final boolean blockWhenFull;
  private final ArrayBlockingQueue<EventBatch> free;
  private final ArrayBlockingQueue<Object> frames;
  private final AtomicInteger queuedStatus = new AtomicInteger();
  // The latest STATUS dropped over the quota, sent when the FIFO is empty; cleared by a newer queued one.
  private final AtomicReference<BoardStatus> heldStatus = new AtomicReference<>();
  private int allocatedSlots; // producer thread only
  private int lastQueuedReactorState = -1; // producer thread only; -1: no STATUS queued yet
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
    this.frames = new ArrayBlockingQueue<>(maxSlots + STATUS_QUOTA + STATE_CHANGE_RESERVE);
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

  /**
   * Queues a STATUS latch; {@code false} (not queued) when the STATUS quota is used up and the frame
   * carries the reactor state of the last queued STATUS (nothing is lost then), or, for a change
   * of state, only once {@link #STATE_CHANGE_RESERVE} changes wait beyond the quota as well. A frame
   * not queued is held as the latest and still sent if no newer STATUS is queued before the FIFO
   * empties.
   */
  public boolean publishStatus(BoardStatus status) {
    boolean changesState = status.reactorState() != lastQueuedReactorState;
    int limit = changesState ? STATUS_QUOTA + STATE_CHANGE_RESERVE : STATUS_QUOTA;
    if (queuedStatus.get() >= limit) {
      heldStatus.set(status);
      listener.run();
      return false;
    }
    queuedStatus.incrementAndGet();
    lastQueuedReactorState = status.reactorState();
    // Cleared before queueing: the consumer must never send an older held STATUS after this one.
    heldStatus.set(null);
    frames.add(status);
    listener.run();
    return true;
  }

  /**
   * The oldest queued item, an {@link EventBatch} or a {@link BoardStatus}, then (the FIFO empty)
   * the held latest dropped STATUS, or null. Consumer side.
   */
  public Object poll() {
    Object o = frames.poll();
    if (o == null) {
      return heldStatus.getAndSet(null);
    }
    if (o instanceof BoardStatus) {
      queuedStatus.decrementAndGet();
    }
    return o;
  }

  /** What {@link #poll} would return next, without removing it, or null. Consumer side. */
  public Object peek() {
    Object o = frames.peek();
    return o != null ? o : heldStatus.get();
  }

  /** Gives a sent aggregate's slot back. Consumer side. */
  public void release(EventBatch aggregate) {
    aggregate.clear();
    free.offer(aggregate);
  }

  /** Items (aggregates and STATUS latches) waiting in the FIFO, the held dropped STATUS not counted. */
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
