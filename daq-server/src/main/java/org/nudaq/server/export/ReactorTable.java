package org.nudaq.server.export;

import java.util.Arrays;
import org.nudaq.server.pipeline.ReactorState;

/**
 * The reactor-state changes the pipeline applied, in data time (one row per change: another state, or
 * the same state at another thermal power; a few per reactor cycle). Growable primitive columns; not
 * thread-safe (the pipeline thread fills it, the export reads it at the end).
 */
final class ReactorTable {
  long[] timeNs = new long[16];
  byte[] state = new byte[16];
  /** Thermal power, fraction of nominal. */
  double[] powerFraction = new double[16];
  int size;

  void add(long t, ReactorState s, double power) {
    if (size == timeNs.length) {
      timeNs = Arrays.copyOf(timeNs, 2 * size);
      state = Arrays.copyOf(state, 2 * size);
      powerFraction = Arrays.copyOf(powerFraction, 2 * size);
    }
    timeNs[size] = t;
    state[size] = (byte) s.ordinal();
    powerFraction[size] = power;
    size++;
  }

  /**
   * The power fraction of the newest change at or before {@code t}, 0 before any change (the state is
   * UNKNOWN then). Scans back from the newest change: events are decided close behind the newest
   * change, so this is a step or two, and allocation-free.
   */
  double powerAt(long t) {
    for (int i = size - 1; i >= 0; i--) {
      if (timeNs[i] <= t) {
        return powerFraction[i];
      }
    }
    return 0;
  }
}
