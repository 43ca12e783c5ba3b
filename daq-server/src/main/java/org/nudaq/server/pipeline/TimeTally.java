package org.nudaq.server.pipeline;

/**
 * Data time and what it is spent on: the clock (the latest event or watermark time), the reactor state
 * at it (applied from the {@link ReactorTimeline}), and real and gated time booked per state into the
 * open data-quality slice ({@link QualitySlices#book}).
 *
 * <p>Booking is lazy: on the per-event path the clock only moves ({@link #moveTo}); the interval
 * (tallyNs, clockNs] is booked by {@link #flush}, which is exact because the slice, the state and the
 * gated-time end do not change inside it (whoever changes one of them flushes first, and
 * {@link #advance}, which crosses slice ends and state changes, books piece by piece).
 *
 * <p>Single-threaded (the pipeline thread); allocation-free.
 */
final class TimeTally {
  private final ReactorTimeline timeline;
  private final Gates gates;
  private final QualitySlices slices;

  private long clockNs = Long.MIN_VALUE;
  /** Real and gated time are booked up to here. */
  private long tallyNs = Long.MIN_VALUE;
  private int state = ReactorState.UNKNOWN_INDEX;
  private long timelineCursor;
  private long lateStateChanges;

  TimeTally(ReactorTimeline timeline, Gates gates, QualitySlices slices) {
    this.timeline = timeline;
    this.gates = gates;
    this.slices = slices;
  }

  /** The clock, ns (Long.MIN_VALUE before the first event or watermark). */
  long clockNs() {
    return clockNs;
  }

  /** The reactor state index at the clock. */
  int state() {
    return state;
  }

  long lateStateChanges() {
    return lateStateChanges;
  }

  /** The sequence number of the first timeline change not applied yet (issue 19, {@link SegmentJoin}). */
  long timelineCursor() {
    return timelineCursor;
  }

  /** Moves the clock to {@code now} when that is later, booking nothing yet (only before the next slice end or state change). */
  void moveTo(long now) {
    clockNs = Math.max(clockNs, now);
  }

  /**
   * Books real and gated time of (tallyNs, clockNs] into the open slice. Branch-free like {@link #moveTo}
   * (an empty interval books 0 ns): both are inlined into the per-event path, and a branch whose profile
   * never saw one side costs a deopt and recompile of that path when the side comes (an empty flush: two
   * muons at one time).
   */
  void flush() {
    long from = tallyNs;
    long to = Math.max(clockNs, from);
    slices.book(state, from, to, gates.gatedUntilNs());
    tallyNs = to;
  }

  /**
   * Advances the clock to {@code to} (after {@link #flush}), booking piece by piece across slice ends
   * (which open the next slice), reactor-state changes (applied as the clock reaches them; changes
   * reported after the data passed them apply now, and are counted late) and slow-control rule
   * boundaries ({@link Gates#applySlowControlUpTo}).
   */
  void advance(long to) {
    if (clockNs == Long.MIN_VALUE) {
      clockNs = to;
      slices.open(Math.floorDiv(to, slices.sliceNs));
    }
    applyStateChangesUpTo(clockNs);
    gates.applySlowControlUpTo(clockNs);
    while (clockNs < to) {
      long nextChange = timelineCursor < timeline.count() ? timeline.timeAt(timelineCursor) : Long.MAX_VALUE;
      nextChange = Math.min(nextChange, gates.nextSlowControlBoundaryNs());
      long sliceEnd = (slices.currentSlice() + 1) * slices.sliceNs;
      long end = Math.min(to, Math.min(nextChange, sliceEnd));
      slices.book(state, clockNs, end, gates.gatedUntilNs());
      clockNs = end;
      applyStateChangesUpTo(clockNs);
      gates.applySlowControlUpTo(clockNs);
      if (clockNs == sliceEnd) {
        slices.open(slices.currentSlice() + 1);
      }
    }
    tallyNs = clockNs;
  }

  /** The time of the next reactor-state change not applied yet, or Long.MAX_VALUE. */
  long nextStateChangeNs() {
    return timelineCursor < timeline.count() ? timeline.timeAt(Math.max(timelineCursor, timeline.oldest())) : Long.MAX_VALUE;
  }

  private void applyStateChangesUpTo(long t) {
    while (timelineCursor < timeline.count() && timeline.timeAt(timelineCursor) <= t) {
      if (timelineCursor < timeline.oldest()) {
        timelineCursor = timeline.oldest();
        continue;
      }
      long at = timeline.timeAt(timelineCursor);
      int next = timeline.stateAt(timelineCursor);
      timelineCursor++;
      if (at < clockNs) {
        lateStateChanges++;
      }
      gates.onStateChange(at, clockNs, state, next);
      state = next;
    }
  }

  // --- checkpoints -----------------------------------------------------------------------------

  /** Writes the clock, the state and the timeline cursor; the caller flushed first, so nothing is owed. */
  void saveState(StateWriter out) {
    out.putLong(clockNs);
    out.putInt(state);
    out.putPositionLong(timelineCursor);
    out.putSumLong(lateStateChanges);
  }

  void restoreState(StateReader in) {
    clockNs = in.getLong();
    int at = in.offset();
    state = in.getInt();
    if (state < 0 || state >= ReactorState.COUNT) {
      throw new StateFormatException("the reactor state index " + state + " is not one of 0 (off), 1 (on), 2 (unknown)", at);
    }
    timelineCursor = in.getLong();
    lateStateChanges = in.getLong();
    tallyNs = clockNs; // saved flushed
  }
}
