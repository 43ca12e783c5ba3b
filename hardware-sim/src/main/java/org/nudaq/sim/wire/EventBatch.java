package org.nudaq.sim.wire;

import org.nudaq.monitor.wire.FrameDescriptor;

/**
 * A reusable batch of list-mode events in preallocated primitive arrays (struct of arrays), the
 * payload of one EVENTS frame. {@link #add} allocates nothing and returns {@code false} when full.
 * Field meanings and units as in {@link org.nudaq.monitor.wire.FrameVisitor#onEvent}.
 *
 * <p>Not thread-safe: one producer fills it, then hands it over (see {@link WireFrame.Events}).
 */
public final class EventBatch {

  private final long[] timestampTicks;
  private final int[] channel;
  private final int[] energyAdc;
  private final int[] flags;
  private final int[] lostTriggersBefore;
  private int size;

  /** @param capacity 1..{@link FrameDescriptor#MAX_EVENTS_PER_FRAME} events */
  public EventBatch(int capacity) {
    if (capacity < 1 || capacity > FrameDescriptor.MAX_EVENTS_PER_FRAME) {
      throw new IllegalArgumentException("EventBatch capacity=" + capacity + " out of range 1.."
          + FrameDescriptor.MAX_EVENTS_PER_FRAME);
    }
    timestampTicks = new long[capacity];
    channel = new int[capacity];
    energyAdc = new int[capacity];
    flags = new int[capacity];
    lostTriggersBefore = new int[capacity];
  }

  /** Adds an event; {@code false} (nothing stored) when the batch is full. */
  public boolean add(long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore) {
    if (size == this.timestampTicks.length) {
      return false;
    }
    this.timestampTicks[size] = timestampTicks;
    this.channel[size] = channel;
    this.energyAdc[size] = energyAdc;
    this.flags[size] = flags;
    this.lostTriggersBefore[size] = lostTriggersBefore;
    size++;
    return true;
  }

  public void clear() {
    size = 0;
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return timestampTicks.length;
  }

  public long timestampTicks(int index) {
    return timestampTicks[index];
  }

  public int channel(int index) {
    return channel[index];
  }

  public int energyAdc(int index) {
    return energyAdc[index];
  }

  public int flags(int index) {
    return flags[index];
  }

  public int lostTriggersBefore(int index) {
    return lostTriggersBefore[index];
  }
}
