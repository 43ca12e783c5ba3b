package org.nudaq.server.pipeline;

import java.util.Arrays;

/**
 * Turns the pipeline's fate hooks into complete events for an {@link EventFateSink}. The decision
 * stage keeps only a bin code per waiting HPGe event, so this keeps the rest (time, ADC value,
 * flags, source, state) in a FIFO that mirrors the look-ahead ring (same order, same pops), and the
 * events that passed every cut in one buffer per data-quality slot and detector until the slice is
 * judged.
 *
 * <p>Memory: the FIFO holds at most the look-ahead capacity; the slot buffers hold the HPGe events
 * that passed every cut in the two open slices (rate × 2 × gates.qualitySliceSeconds), 20 bytes
 * each. Buffers grow by doubling and are reused, so steady state allocates nothing. Pipeline thread
 * only; a pipeline with a recorder cannot {@link EventPipeline#restoreState restore} a state (the
 * buffers would not match), which exports never do.
 */
final class FateRecorder implements FateTracker {
  /** A source and a reactor state index in one int: source << STATE_BITS | state. */
  private static final int STATE_BITS = 2;
  private static final int STATE_MASK = (1 << STATE_BITS) - 1;
  private final EventFateSink sink;

  /** Events with the parts the decision stage drops, growable; FIFO (head..head+size) or plain list. */
  private static final class Events {
    long[] timeNs = new long[64];
    int[] adc = new int[64];
    int[] flags = new int[64];
    /** source << STATE_BITS | state index. */
    int[] sourceState = new int[64];
    int head;
    int size;

    void ensure() {
      if (size == timeNs.length) {
        int n = timeNs.length;
        timeNs = unwrap(timeNs, n);
        adc = unwrap(adc, n);
        flags = unwrap(flags, n);
        sourceState = unwrap(sourceState, n);
        head = 0;
      }
    }

    private long[] unwrap(long[] a, int n) {
      long[] b = new long[2 * n];
      for (int k = 0; k < n; k++) {
        b[k] = a[(head + k) % n];
      }
      return b;
    }

    private int[] unwrap(int[] a, int n) {
      int[] b = new int[2 * n];
      for (int k = 0; k < n; k++) {
        b[k] = a[(head + k) % n];
      }
      return b;
    }

    int tail() {
      ensure();
      int i = head + size;
      return i >= timeNs.length ? i - timeNs.length : i;
    }

    void add(long t, int a, int f, int ss) {
      int i = tail();
      timeNs[i] = t;
      adc[i] = a;
      flags[i] = f;
      sourceState[i] = ss;
      size++;
    }
  }

  private final Events fifo = new Events();
  private final Events[][] held;

  FateRecorder(int detectorCount, EventFateSink sink) {
    this.sink = sink;
    held = new Events[2][detectorCount];
    for (Events[] slot : held) {
      Arrays.setAll(slot, d -> new Events());
    }
  }

  @Override
  public void beforeMerge(int source, long timeNs, int adc, int flags, RejectReason reason) {
    sink.onEvent(source, timeNs, adc, flags, ReactorState.UNKNOWN, EventFate.of(reason));
  }

  @Override
  public void unknownChannel(int boardId, int channel, long timeNs, int adc, int flags) {
    sink.onUnknownChannel(boardId, channel, timeNs, adc, flags);
  }

  @Override
  public void naiAccepted(int source, long timeNs, int adc, int flags, int state) {
    sink.onEvent(source, timeNs, adc, flags, ReactorState.of(state), EventFate.ACCEPTED);
  }

  @Override
  public void hpgeQueued(int source, long timeNs, int adc, int flags, int state) {
    fifo.add(timeNs, adc, flags, source << STATE_BITS | state);
  }

  @Override
  public void headDecided(EventFate fate) {
    int i = pop();
    int ss = fifo.sourceState[i];
    sink.onEvent(ss >>> STATE_BITS, fifo.timeNs[i], fifo.adc[i], fifo.flags[i], ReactorState.of(ss & STATE_MASK), fate);
  }

  @Override
  public void headHeld(int slot, int detector) {
    int i = pop();
    held[slot][detector].add(fifo.timeNs[i], fifo.adc[i], fifo.flags[i], fifo.sourceState[i]);
  }

  private int pop() {
    if (fifo.size == 0) {
      throw new IllegalStateException("pipeline: fate recorder out of step with the look-ahead ring");
    }
    int i = fifo.head;
    fifo.head = i + 1 == fifo.timeNs.length ? 0 : i + 1;
    fifo.size--;
    return i;
  }

  @Override
  public void sliceJudged(int slot, int detector, boolean good) {
    Events e = held[slot][detector];
    EventFate fate = good ? EventFate.ACCEPTED : EventFate.GATED_DATA_QUALITY;
    for (int i = 0; i < e.size; i++) {
      int ss = e.sourceState[i];
      sink.onEvent(ss >>> STATE_BITS, e.timeNs[i], e.adc[i], e.flags[i], ReactorState.of(ss & STATE_MASK), fate);
    }
    e.size = 0;
  }

  @Override
  public void reactorState(long timeNs, int state, double powerFraction) {
    sink.onReactorState(timeNs, ReactorState.of(state), powerFraction);
  }
}
