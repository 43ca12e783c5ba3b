package org.nudaq.server.pipeline;

/**
 * The HPGe events waiting for their NaI veto window to close, oldest first: an NaI hit up to
 * {@code veto.windowAfterNs} after an HPGe event still vetoes it, so the event is decided only once
 * the data time has passed that window (or the ring is full). A ring of a power-of-two capacity; each
 * waiting event is its time and one packed long ({@link #pack}: one store per event instead of six).
 *
 * <p>Single-threaded (the pipeline thread); allocation-free.
 */
final class VetoLookahead {
  /** The AdcTable code's bits kept in an entry: bin + 2 and the BAND, VETO and MUON flags. */
  static final int ADC_CODE_MASK = (1 << 27) - 1;
  /** The largest cut code an entry holds ({@link Gates#CANDIDATE} and the reject/gate codes). */
  static final int MAX_CUT_CODE = 0x3F;
  private static final int SOURCE_SHIFT = 32;
  private static final int CUT_CODE_SHIFT = 48;
  private static final int STATE_SHIFT = 54;
  private static final int SLOT_SHIFT = 56;
  private static final long VETOED = 1L << 57;

  private final int mask;
  private final long[] timeNs;
  private final long[] info;
  private int head;
  private int size;
  private long overflows;

  /** @param capacity events that can wait, a power of two (pipeline.lookaheadCapacity) */
  VetoLookahead(int capacity, int sourceCount) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("pipeline: lookaheadCapacity must be a power of two, got " + capacity);
    }
    if (sourceCount > 0xFFFF) {
      throw new IllegalArgumentException("pipeline: at most 65535 channels, got " + sourceCount);
    }
    mask = capacity - 1;
    timeNs = new long[capacity];
    info = new long[capacity];
  }

  // --- one entry in a long -----------------------------------------------------------------------

  /**
   * An entry's attributes: the AdcTable code of its ADC value (bin and band bit), its source, its cut
   * code, the reactor state index at its time, its data-quality slot (its slice's parity) and whether
   * an earlier NaI hit already vetoes it.
   */
  static long pack(int adcCode, int source, int cutCode, int stateIndex, int slot, boolean vetoed) {
    return (adcCode & ADC_CODE_MASK) | (long) source << SOURCE_SHIFT | (long) cutCode << CUT_CODE_SHIFT
        | (long) stateIndex << STATE_SHIFT | (long) slot << SLOT_SHIFT | (vetoed ? VETOED : 0);
  }

  static int adcCode(long info) {
    return (int) info & ADC_CODE_MASK;
  }

  static int source(long info) {
    return (int) (info >>> SOURCE_SHIFT) & 0xFFFF;
  }

  static int stateIndex(long info) {
    return (int) (info >>> STATE_SHIFT) & 0x3;
  }

  static int slot(long info) {
    return (int) (info >>> SLOT_SHIFT) & 1;
  }

  static int cutCode(long info) {
    return (int) (info >>> CUT_CODE_SHIFT) & MAX_CUT_CODE;
  }

  static boolean vetoed(long info) {
    return (info & VETOED) != 0;
  }

  // --- the ring ----------------------------------------------------------------------------------

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  boolean isFull() {
    return size > mask;
  }

  int capacity() {
    return mask + 1;
  }

  /** Time of the oldest waiting event, ns (only when not empty). */
  long headTimeNs() {
    return timeNs[head];
  }

  /** Appends an event (not when full: decide the head first, {@link #countOverflow}). */
  void add(long t, long packedInfo) {
    int n = size;
    int h = addHead(head, n); // restart an empty ring at slot 0: the slots in use stay in cache
    int i = (h + n) & mask;
    timeNs[i] = t;
    info[i] = packedInfo;
    head = h;
    size = n + 1;
  }

  // --- the ring in a caller's locals (PairChunk) ---------------------------------------------------
  // Why (issue 19): a loop that adds and decides an event each (PairChunk's HPGe loop) read and wrote the ring's
  // head and size through these fields for every event. It keeps them in locals instead, with the same slots as
  // add and removeHead, and writes them back once (setHeadAndSize): fewer loads and stores per event (a gain
  // not measurable above this host's noise: docs/benchmarks.md, session 9).

  /** The ring's times by slot. */
  long[] timesBySlot() {
    return timeNs;
  }

  /** The ring's packed entries by slot. */
  long[] infoBySlot() {
    return info;
  }

  /** Slot index mask (capacity - 1). */
  int mask() {
    return mask;
  }

  /** The oldest entry's slot. */
  int head() {
    return head;
  }

  /**
   * The head slot {@link #add} uses for a ring holding {@code size} entries at {@code head}: slot 0 when empty
   * (the slots in use stay in cache), else {@code head}. No branch: an {@code if} here, rarely taken in some
   * profiles, would be a trap in the loop that inlines it.
   */
  static int addHead(int head, int size) {
    return head & -Math.min(size, 1);
  }

  /** Sets the head and size after a caller's loop over the ring ({@link #timesBySlot}). */
  void setHeadAndSize(int head, int size) {
    this.head = head;
    this.size = size;
  }

  /** Removes the oldest event and returns its packed attributes (only when not empty). */
  long removeHead() {
    int i = head;
    head = (head + 1) & mask;
    size--;
    return info[i];
  }

  /** An NaI veto hit: every waiting event at or after {@code fromNs} is vetoed. */
  void vetoFrom(long fromNs) {
    // Two loops (find the first waiting event at or after fromNs from the newest back, then mark from it on)
    // where one loop counted down to 0 and broke out: C2 compiled that one with a loop-limit check that
    // failed at run time (an uncommon trap, and a recompile of the hot path it is inlined into).
    int n = size;
    int k = n;
    while (k > 0 && timeNs[(head + k - 1) & mask] >= fromNs) {
      k--;
    }
    for (; k < n; k++) {
      info[(head + k) & mask] |= VETOED;
    }
  }

  /** The ring was full when an event arrived: its head was decided early, with the NaI seen so far. */
  void countOverflow() {
    overflows++;
  }

  long overflows() {
    return overflows;
  }

  /** Waiting events of one source. */
  long size(int source) {
    long n = 0;
    for (int k = 0; k < size; k++) {
      if (source(info[(head + k) & mask]) == source) {
        n++;
      }
    }
    return n;
  }

  // --- checkpoints -----------------------------------------------------------------------------

  /** Writes the ring (its events at their ring positions, field by field) and the overflow count. */
  void saveState(StateWriter out) {
    out.putPositionInt(head);
    out.putInt(size);
    for (int k = 0; k < size; k++) {
      int i = (head + k) & mask;
      out.putLong(timeNs[i]);
      long e = info[i];
      out.putInt(source(e));
      out.putInt(adcCode(e));
      out.putInt(slot(e));
      out.putInt(cutCode(e));
      out.putInt(stateIndex(e));
      out.putBoolean(vetoed(e));
    }
    out.putSumLong(overflows);
  }

  /** Restores what {@link #saveState} wrote; {@code hpge} tells which sources may wait here. */
  void restoreState(StateReader in, boolean[] hpge) {
    int at = in.offset();
    head = in.getInt();
    if (head < 0 || head > mask) {
      throw new StateFormatException("the look-ahead head " + head + " is outside the ring", at);
    }
    size = in.getCount("decisions.lookaheadSize", mask + 1);
    for (int k = 0; k < size; k++) {
      int i = (head + k) & mask;
      timeNs[i] = in.getLong();
      at = in.offset();
      int source = in.getInt();
      if (source < 0 || source >= hpge.length || !hpge[source]) {
        throw new StateFormatException("the look-ahead holds source " + source + ", which is not an HPGe source", at);
      }
      at = in.offset();
      int adcCode = in.getInt();
      int slot = in.getInt();
      int cutCode = in.getInt();
      int stateIndex = in.getInt();
      boolean vetoed = in.getBoolean();
      if ((adcCode & ~ADC_CODE_MASK) != 0 || (slot & ~1) != 0 || cutCode < 0 || cutCode > MAX_CUT_CODE
          || stateIndex < 0 || stateIndex >= ReactorState.COUNT) {
        throw new StateFormatException("a look-ahead entry is out of range (ADC code " + adcCode + ", slot " + slot
            + ", cut code " + cutCode + ", state " + stateIndex + ")", at);
      }
      info[i] = pack(adcCode, source, cutCode, stateIndex, slot, vetoed);
    }
    overflows = in.getLong();
  }
}
