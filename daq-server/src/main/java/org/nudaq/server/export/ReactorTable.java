package org.nudaq.server.export;

import java.util.Arrays;
import org.nudaq.server.pipeline.ReactorState;

/**
 * The reactor-state changes the pipeline applied, in data time (one row per change; a few per reactor
 * cycle). Growable primitive columns; not thread-safe.
 */
final class ReactorTable {
  long[] timeNs = new long[16];
  byte[] state = new byte[16];
  int size;

  void add(long t, ReactorState s) {
    if (size == timeNs.length) {
      timeNs = Arrays.copyOf(timeNs, 2 * size);
      state = Arrays.copyOf(state, 2 * size);
    }
    timeNs[size] = t;
    state[size] = (byte) s.ordinal();
    size++;
  }
}
