package org.nudaq.sim.generator;

/**
 * A bounded min-heap of events ordered by time, in parallel primitive arrays, so that delayed
 * partners (a Compton event's NaI hit, a muon's delayed neutron hit) are released in time order
 * without allocating. Single-threaded.
 */
final class PendingEvents {
  private final long[] time;
  private final int[] detector;
  private final boolean[] hpge;
  private final double[] energy;
  private final int[] eventClass;
  private int size;

  PendingEvents(int capacity) {
    time = new long[capacity];
    detector = new int[capacity];
    hpge = new boolean[capacity];
    energy = new double[capacity];
    eventClass = new int[capacity];
  }

  int size() {
    return size;
  }

  /** Adds an event; returns false when full (the caller counts it as lost). */
  boolean offer(long t, int det, boolean isHpge, double e, int cls) {
    if (size == time.length) {
      return false;
    }
    int i = size++;
    set(i, t, det, isHpge, e, cls);
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (time[parent] <= time[i]) {
        break;
      }
      swap(i, parent);
      i = parent;
    }
    return true;
  }

  long peekTime() {
    return size == 0 ? Long.MAX_VALUE : time[0];
  }

  long headTime() {
    return time[0];
  }

  int headDetector() {
    return detector[0];
  }

  boolean headHpge() {
    return hpge[0];
  }

  double headEnergy() {
    return energy[0];
  }

  int headClass() {
    return eventClass[0];
  }

  void removeHead() {
    size--;
    if (size == 0) {
      return;
    }
    swap(0, size);
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      int r = l + 1;
      int smallest = i;
      if (l < size && time[l] < time[smallest]) {
        smallest = l;
      }
      if (r < size && time[r] < time[smallest]) {
        smallest = r;
      }
      if (smallest == i) {
        return;
      }
      swap(i, smallest);
      i = smallest;
    }
  }

  private void set(int i, long t, int det, boolean isHpge, double e, int cls) {
    time[i] = t;
    detector[i] = det;
    hpge[i] = isHpge;
    energy[i] = e;
    eventClass[i] = cls;
  }

  private void swap(int a, int b) {
    long t = time[a];
    time[a] = time[b];
    time[b] = t;
    int d = detector[a];
    detector[a] = detector[b];
    detector[b] = d;
    boolean h = hpge[a];
    hpge[a] = hpge[b];
    hpge[b] = h;
    double e = energy[a];
    energy[a] = energy[b];
    energy[b] = e;
    int c = eventClass[a];
    eventClass[a] = eventClass[b];
    eventClass[b] = c;
  }
}
