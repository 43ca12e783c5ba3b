package org.nudaq.server.pipeline;

/**
 * Time-ordered k-way merge of the per-source (board, channel) event streams.
 *
 * <p>Each source buffers its events in a preallocated ring (events of one channel arrive in time
 * order). A source's watermark is the larger of its last event time and its board's last status time
 * (a board sends a status only after every event before it); a board's watermark is the smallest of
 * its sources'. Events strictly before the merge watermark W = min over live boards are emitted in
 * time order. A board is not waited for when
 * <ul>
 *   <li>its watermark lags the most advanced board by more than mergeIdleTimeout in data time
 *       (a board never heard from counts as being at the first data time seen), or</li>
 *   <li>it sent nothing between two {@link #advanceIdle(long)} calls spanning the timeout (wall clock).</li>
 * </ul>
 * Data-time idleness makes replays deterministic; the wall-clock rule flushes the last events of a
 * run when every board falls silent.
 *
 * <p>When a ring is full, progress is forced: the globally oldest buffered events are emitted until
 * there is room (nothing is dropped; {@link #forcedEmits()} counts them). An event older than what
 * was already emitted cannot be merged any more: {@link #offer} returns false and the caller rejects
 * it as {@link RejectReason#LATE}.
 *
 * <p>For the JIT (issue 19): the per-run path ({@link #emitRun}) handles the usual run only (in time order, not
 * wrapping the ring's end); the rest is out of line ({@link #finishUnusualRun}), so that a rarely taken branch
 * does not make C2 throw the compiled merge away the first time a ring wraps.
 *
 * <p>Single-threaded (the pipeline thread); allocation-free after construction.
 *
 * <p>Size: over the ~400-line rule on purpose: the rings, the watermarks and the idle rules are one data
 * structure on the per-event path (the merge's fast path reads them all for every event), and its
 * checkpoint code writes exactly those arrays; splitting it would put indirections on the hottest path.
 */
final class TimeOrderedMerge {
  /** Inside {@link #beginBatch}/{@link #endBatch}: offers only note that a drain is due. */
  private boolean batching;
  private boolean drainDue;
  /**
   * In the drain at a batch's end, which emits a batch's worth of events: only there are both rings handed
   * to the stage at once ({@link #emitBatchOfTwo}); a drain per offer emits a few events, as runs.
   */
  private boolean drainingBatch;

  private final ChannelMap map;
  private final MergedStream out;
  private final int mask;
  /** log2 of the ring capacity: source s owns ring slots [s << shift, (s + 1) << shift). */
  private final int shift;
  /** Rings whose head has moved this far are compacted when they hold few events (see {@link #compact}). */
  private final int compactFrom;
  private static final int COMPACT_MAX_EVENTS = 16;
  // All rings in flat arrays (one bounds check and no row load per access).
  private final long[] time;
  /** adc in the low 32 bits, flags in the high 32 bits. */
  private final long[] payload;
  private final int[] head;
  private final int[] size;
  private final long[] lastEventNs;
  private final long[] boardStatusNs;
  /** Scratch for {@link #drain()}: each board's watermark. */
  private final long[] boardWatermarkNs;
  private final long idleTimeoutNs;
  private final long idleTimeoutWallNs;
  private final boolean[] seenSinceIdleCheck;
  private final long[] lastSeenWallNs;
  private final boolean[] wallIdle;
  /**
   * Per source: an event came below the source's newest time since its ring was last empty, so its
   * buffered events may be out of time order. While false the newest of a run is its last event (no
   * scan, {@link #emitRun}). Derived, not saved: true after a restore until the ring empties. 1 for true, 0
   * for false: {@link #offerRun} sets it without a branch (why: there).
   */
  private final int[] unordered;
  private long firstSeenNs = Long.MIN_VALUE;
  private long emittedNs = Long.MIN_VALUE;
  private long watermarkNs = Long.MIN_VALUE;
  /** The watermark of the last full computation (Long.MIN_VALUE when every board was idle). */
  private long rawWatermarkNs = Long.MIN_VALUE;
  private int buffered;
  private long forcedEmits;
  private long idleExclusions;
  private long compactions;

  TimeOrderedMerge(ChannelMap map, int capacityPerSource, double idleTimeoutSeconds, MergedStream out) {
    if (Integer.bitCount(capacityPerSource) != 1 || capacityPerSource < 2) {
      throw new IllegalArgumentException("merge: capacityPerSource must be a power of two >= 2, got capacityPerSource=" + capacityPerSource);
    }
    this.map = map;
    this.out = out;
    this.mask = capacityPerSource - 1;
    this.shift = Integer.numberOfTrailingZeros(capacityPerSource);
    // Only rings much larger than what they usually hold gain from compaction.
    this.compactFrom = capacityPerSource >= 4096 ? 512 : Integer.MAX_VALUE;
    int n = map.sourceCount;
    time = new long[n * capacityPerSource];
    payload = new long[n * capacityPerSource];
    head = new int[n];
    size = new int[n];
    lastEventNs = new long[n];
    java.util.Arrays.fill(lastEventNs, Long.MIN_VALUE);
    boardStatusNs = new long[map.boardCount];
    java.util.Arrays.fill(boardStatusNs, Long.MIN_VALUE);
    boardWatermarkNs = new long[map.boardCount];
    idleTimeoutNs = Math.round(idleTimeoutSeconds * 1e9);
    idleTimeoutWallNs = idleTimeoutNs;
    seenSinceIdleCheck = new boolean[map.boardCount];
    lastSeenWallNs = new long[map.boardCount];
    java.util.Arrays.fill(lastSeenWallNs, Long.MIN_VALUE);
    wallIdle = new boolean[map.boardCount];
    unordered = new int[n];
  }

  /**
   * Buffers an event, marks its board seen (the wall-clock idle rule) and emits what the new
   * watermark allows.
   *
   * @return false if the event is older than what was already emitted (late; not buffered)
   */
  boolean offer(int source, long timeNs, int adcValue, int flagBits) {
    int b = map.sourceBoard[source];
    markSeen(b);
    return offerInBoardFrame(source, b, timeNs, adcValue, flagBits);
  }

  /**
   * {@link #offer} for an event of the frame begun with {@link #beginBoardFrame(int)}: its board was
   * marked seen once for the whole frame, so it is not marked again.
   *
   * @param b the source's board index
   */
  boolean offerInBoardFrame(int source, int b, long timeNs, int adcValue, int flagBits) {
    // Before the watermark passed downstream, or before an event already emitted: too late to merge.
    if (timeNs < emittedNs || timeNs < watermarkNs) {
      return false;
    }
    if (firstSeenNs == Long.MIN_VALUE) {
      firstSeenNs = timeNs;
    }
    int n = size[source];
    if (n > mask) {
      forceRoomIn(source);
      n = size[source];
    }
    int h = head[source];
    if (h >= compactFrom && n <= COMPACT_MAX_EVENTS) {
      h = compact(source, h, n);
    }
    int i = (source << shift) | ((h + n) & mask);
    time[i] = timeNs;
    payload[i] = ((long) flagBits << 32) | (adcValue & 0xFFFF_FFFFL);
    size[source] = n + 1;
    buffered++;
    long last = lastEventNs[source];
    if (timeNs > last) {
      lastEventNs[source] = timeNs;
    } else if (timeNs < last) {
      unordered[source] = 1;
    }
    if (drainDue) {
      return true; // in a batch whose drain is already due: nothing more to decide
    }
    long before = Math.max(last, boardStatusNs[b]);
    // Fast path: if this source was not holding the watermark back (it was above it) and its rise
    // cannot make another board lag by more than the idle timeout, the watermark is unchanged, and
    // the new event (at or above its source's watermark) cannot be emitted yet.
    if (before > rawWatermarkNs && timeNs - idleTimeoutNs <= rawWatermarkNs && rawWatermarkNs != Long.MIN_VALUE) {
      return true;
    }
    if (batching) {
      drainDue = true;
    } else {
      drain();
    }
    return true;
  }

  /**
   * {@link #offerInBoardFrame} for events {@code [from, to)} of one source of the open board frame, in
   * turn, given as columns (times in ns; adc in the low, flags in the high 32 bits of {@code payloadCol}),
   * up to the first that is late or finds the source's ring full: that one is not offered, and its index
   * is returned ({@code to} when every event was buffered), so that the caller offers it alone.
   *
   * <p>Same result as one {@code offerInBoardFrame} per event, with the ring, the counts and the source's
   * watermark written once: inside a frame (batching) an offer neither drains nor moves the head, so the
   * late bound and the compaction test are the same for every event of the run; the source's last time
   * only rises, so "its watermark was above the merge's" holds for every event if it holds for the first;
   * and "the rise makes no board lag" holds for every event if it holds for the latest. The drain that
   * one event would have made due is due once.
   */
  int offerRun(int source, int b, long[] timeCol, long[] payloadCol, int from, int to) {
    if (!batching) {
      return from; // outside a frame an offer may drain at once: the caller offers event by event
    }
    int n = size[source];
    int end = Math.min(to, from + (mask + 1 - n));
    long lateBefore = Math.max(emittedNs, watermarkNs);
    long max = Long.MIN_VALUE; // the run's newest time
    long newest = lastEventNs[source];
    // Nonzero once an event came below the source's newest time before it. Arithmetic, not a comparison:
    // such an event is rare (once in a replay), and a branch the profile never saw taken is compiled as an
    // uncommon trap, which threw this compiled method away when it came (issue 19, -XX:+LogCompilation).
    long below = 0;
    int k = from;
    while (k < end) {
      long t = timeCol[k];
      if (t < lateBefore) {
        break;
      }
      newest = Math.max(newest, t);
      below |= newest - t; // nonzero iff t is below the newest before it
      max = Math.max(max, t);
      k++;
    }
    int count = k - from;
    if (count == 0) {
      return from;
    }
    if (firstSeenNs == Long.MIN_VALUE) {
      firstSeenNs = timeCol[from];
    }
    int h = head[source];
    if (h >= compactFrom && n <= COMPACT_MAX_EVENTS) {
      h = compact(source, h, n);
    }
    int base = source << shift;
    int at = (h + n) & mask;
    int first = Math.min(count, mask + 1 - at);
    System.arraycopy(timeCol, from, time, base + at, first);
    System.arraycopy(payloadCol, from, payload, base + at, first);
    // The part that wraps around the ring's end (none, usually), copied without a branch on it (a branch rarely taken
    // would be a trap, as for below).
    System.arraycopy(timeCol, from + first, time, base, count - first);
    System.arraycopy(payloadCol, from + first, payload, base, count - first);
    size[source] = n + count;
    buffered += count;
    unordered[source] |= (int) ((below | -below) >>> 63); // 1 iff below != 0, without a branch
    long last = lastEventNs[source];
    lastEventNs[source] = Math.max(last, max);
    if (!drainDue) {
      long before = Math.max(last, boardStatusNs[b]);
      if (!(before > rawWatermarkNs && max - idleTimeoutNs <= rawWatermarkNs && rawWatermarkNs != Long.MIN_VALUE)) {
        drainDue = true; // batching: the drain is the frame's end's
      }
    }
    return k;
  }

  /**
   * The events that follow come from one aggregate of one frame: defer draining until
   * {@link #endBatch}. The output is the same — the watermark only rises, and one drain emits in
   * time order what several would have — but the merge runs once per aggregate, not per event.
   */
  void beginBatch() {
    batching = true;
  }

  /**
   * {@link #beginBatch()} for one EVENTS frame of a board: the frame is the board's sign of life (the
   * wall-clock idle rule), marked once here instead of at every event; use {@link #offerInBoardFrame}
   * for its events. Ended by {@link #endBatch}.
   *
   * @param boardIndex the board's index, or a negative value for a board not in the configuration
   */
  void beginBoardFrame(int boardIndex) {
    batching = true;
    if (boardIndex >= 0) {
      markSeen(boardIndex);
    }
  }

  /** End of the batch: drain once if any offer asked for it. */
  void endBatch() {
    batching = false;
    if (drainDue) {
      drainDue = false;
      drainingBatch = true;
      drain();
      drainingBatch = false;
    }
  }

  /** A board's status: it has sent every event before {@code boardTimeNs}. */
  void onBoardStatus(int boardIndex, long boardTimeNs) {
    endBatch();
    markSeen(boardIndex);
    if (firstSeenNs == Long.MIN_VALUE) {
      firstSeenNs = boardTimeNs;
    }
    if (boardTimeNs > boardStatusNs[boardIndex]) {
      boardStatusNs[boardIndex] = boardTimeNs;
    }
    drain();
  }

  /** Any frame from the board (hello, lost-frame report) counts as a sign of life. */
  void onBoardFrame(int boardIndex) {
    endBatch();
    markSeen(boardIndex);
  }

  private void markSeen(int b) {
    if (!seenSinceIdleCheck[b] || wallIdle[b]) {
      seenSinceIdleCheck[b] = true;
      wallIdle[b] = false;
    }
  }

  /**
   * Wall-clock idleness check, called periodically by the link layer (e.g. every 100 ms): a board
   * that sent no frame for the idle timeout stops holding back the merge until it sends again.
   */
  void advanceIdle(long wallClockNanos) {
    endBatch();
    for (int b = 0; b < map.boardCount; b++) {
      if (seenSinceIdleCheck[b] || lastSeenWallNs[b] == Long.MIN_VALUE) {
        seenSinceIdleCheck[b] = false;
        lastSeenWallNs[b] = wallClockNanos;
      } else if (!wallIdle[b] && wallClockNanos - lastSeenWallNs[b] > idleTimeoutWallNs) {
        wallIdle[b] = true;
        idleExclusions++;
      }
    }
    drain();
  }

  /** Emits everything buffered, in time order (end of run or replay). */
  void flushAll() {
    endBatch();
    while (buffered > 0) {
      emitOldest();
    }
    long max = Math.max(emittedNs, maxBoardWatermark());
    if (max > watermarkNs) {
      watermarkNs = max;
      out.onWatermark(max);
    }
  }

  /**
   * Moves the few buffered events of a source back to the start of its ring: the rings are large
   * (for bursts), but normally hold a handful of events, and restarting near slot 0 keeps the slots
   * in use in the cache instead of sweeping the whole ring. The order of the events is kept.
   *
   * @return the new head (0)
   */
  private int compact(int source, int h, int n) {
    int base = source << shift;
    for (int k = 0; k < n; k++) {
      int from = base | ((h + k) & mask);
      time[base + k] = time[from];
      payload[base + k] = payload[from];
    }
    head[source] = 0;
    compactions++;
    return 0;
  }

  /** Smallest source watermark of a board; Long.MIN_VALUE while one of its sources is unheard of. */
  private long boardWatermark(int b) {
    long bw = Long.MAX_VALUE;
    long status = boardStatusNs[b];
    int[] sources = map.boardSources[b];
    for (int k = 0; k < sources.length; k++) {
      long w = Math.max(lastEventNs[sources[k]], status);
      if (w < bw) {
        bw = w;
      }
    }
    return bw;
  }

  private long maxBoardWatermark() {
    long max = Long.MIN_VALUE;
    for (int b = 0; b < map.boardCount; b++) {
      max = Math.max(max, boardWatermark(b));
    }
    return max;
  }

  private void drain() {
    if (firstSeenNs == Long.MIN_VALUE) {
      return;
    }
    long max = Long.MIN_VALUE;
    long[] bws = boardWatermarkNs;
    for (int b = 0; b < bws.length; b++) {
      long bw = boardWatermark(b);
      bws[b] = bw;
      // A board never heard of counts as being at the first data time, for the idle rule only.
      max = Math.max(max, Math.max(bw, firstSeenNs));
    }
    long w = Long.MAX_VALUE;
    boolean anyLive = false;
    for (int b = 0; b < bws.length; b++) {
      if (wallIdle[b]) {
        continue;
      }
      long bw = bws[b];
      if (Math.max(bw, firstSeenNs) < max - idleTimeoutNs) {
        continue; // lags the leader by more than the idle timeout in data time
      }
      anyLive = true;
      w = Math.min(w, bw);
    }
    if (!anyLive) {
      // Every board silent: nothing more is coming for now, so nothing is held back.
      emitRuns(Long.MAX_VALUE, true);
      w = Math.max(emittedNs, max);
    }
    emitRuns(w, false);
    rawWatermarkNs = anyLive ? w : Long.MIN_VALUE;
    if (w > watermarkNs && w != Long.MIN_VALUE) {
      watermarkNs = w;
      out.onWatermark(w);
    }
  }

  private void forceRoomIn(int source) {
    while (size[source] > mask) {
      emitOldest();
      forcedEmits++;
    }
  }

  private void emitOldest() {
    emitFrom(oldestSource());
  }

  /**
   * Emits, oldest first, the events before {@code w} (every event if {@code all}): exactly the
   * sequence of "emit from {@link #oldestSource()}" steps (ties to the lower source index), but the
   * sources are scanned once per run of events from one source, not once per event. Emitting from a
   * source changes no other head, so the runner-up found by the scan stays valid for the whole run.
   */
  private void emitRuns(long w, boolean all) {
    int n = size.length;
    if (n == 2) {
      emitRunsOfTwo(w, all);
      return;
    }
    while (buffered > 0) {
      int best = -1;
      long bestT = Long.MAX_VALUE;
      int second = -1;
      long secondT = Long.MAX_VALUE;
      for (int s = 0; s < n; s++) {
        if (size[s] > 0) {
          long t = time[(s << shift) | head[s]];
          if (best < 0 || t < bestT) {
            second = best;
            secondT = bestT;
            best = s;
            bestT = t;
          } else if (second < 0 || t < secondT) {
            second = s;
            secondT = t;
          }
        }
      }
      if (!all && bestT >= w) {
        return;
      }
      emitRun(best, w, all, second, secondT);
    }
  }

  /**
   * {@link #emitRuns} for two sources (one HPGe and one NaI channel, the common set-up), without a scan
   * per run: when a run of the oldest source ends and it still holds events, the run ended at the
   * runner-up's head (or at {@code w}), so the runner-up is the oldest now (on a tie too: a run of the
   * lower index takes the tied events, one of the higher index stops before them) and the source just
   * emitted from is the runner-up, with its new head. The same sequence of runs as the scan gives. In the
   * drain at a batch's end, {@link #emitBatchOfTwo}.
   */
  private void emitRunsOfTwo(long w, boolean all) {
    if (drainingBatch) {
      emitBatchOfTwo(w, all);
      return;
    }
    if (buffered == 0) {
      return;
    }
    int best;
    int second;
    if (size[0] == 0 || size[1] == 0) {
      best = size[0] == 0 ? 1 : 0;
      second = -1;
    } else {
      long t0 = time[head[0]];
      long t1 = time[(1 << shift) | head[1]];
      best = t1 < t0 ? 1 : 0;
      second = 1 - best;
    }
    long bestT = time[(best << shift) | head[best]];
    long secondT = second < 0 ? Long.MAX_VALUE : time[(second << shift) | head[second]];
    while (true) {
      if (!all && bestT >= w) {
        return;
      }
      emitRun(best, w, all, second, secondT);
      if (size[best] == 0) {
        if (second < 0) {
          return;
        }
        best = second;
        bestT = secondT;
        second = -1;
        secondT = Long.MAX_VALUE;
      } else if (second < 0) {
        return; // the only source's run ended at w
      } else {
        int was = best;
        best = second;
        bestT = secondT;
        second = was;
        secondT = time[(was << shift) | head[was]];
      }
    }
  }

  /**
   * {@link #emitRunsOfTwo} in the drain at a batch's end (a batch's worth of events): while both rings hold
   * events in time order and neither wraps around its end, both are offered to the stage at once
   * ({@link #emitPair}), which takes as much of the merged sequence as it can in one call; otherwise, or
   * when it takes nothing, the oldest source's run goes over as {@link #emitRuns} would send it (the
   * oldest of the two heads; on a tie the lower index). The same sequence of events as the scan gives.
   */
  private void emitBatchOfTwo(long w, boolean all) {
    if (!all && w == Long.MIN_VALUE) {
      return; // nothing is before w
    }
    long lastNs = all ? Long.MAX_VALUE : w - 1;
    int ring = mask + 1;
    while (buffered > 0) {
      int n0 = size[0];
      int n1 = size[1];
      if (n0 > 0 && n1 > 0 && unordered[0] == 0 && unordered[1] == 0 && head[0] + n0 <= ring && head[1] + n1 <= ring
          && emitPair(n0, n1, lastNs)) {
        continue;
      }
      int best;
      int second;
      if (n0 == 0 || n1 == 0) {
        best = n0 == 0 ? 1 : 0;
        second = -1;
      } else {
        best = time[(1 << shift) | head[1]] < time[head[0]] ? 1 : 0;
        second = 1 - best;
      }
      long bestT = time[(best << shift) | head[best]];
      if (!all && bestT >= w) {
        return;
      }
      emitRun(best, w, all, second, second < 0 ? Long.MAX_VALUE : time[(second << shift) | head[second]]);
    }
  }

  /**
   * Both rings (each in time order, neither wrapping) to the stage in one {@link MergedStream#onMergedPair}
   * call; the heads, sizes and the newest emitted time move past what it took (the last event taken of
   * each source is that source's newest: the rings are in time order).
   *
   * @return false if the stage took nothing
   */
  private boolean emitPair(int n0, int n1, long lastNs) {
    int h0 = head[0];
    int h1 = head[1];
    int from1 = (1 << shift) | h1;
    long ends = out.onMergedPair(0, 1, time, payload, h0, h0 + n0, from1, from1 + n1, lastNs);
    int k0 = (int) (ends >>> 32) - h0;
    int k1 = (int) ends - from1;
    if (k0 + k1 == 0) {
      return false;
    }
    // Without a branch on "took none of this source" (issue 19, JIT): a chunk of one source only is rare in some
    // profiles (JMH), and the branch, compiled as an uncommon trap, threw the compiled drain away the first time, in
    // the measurement. A source of which none was taken keeps its head and size, and adds nothing to the newest time
    // (its head's time, read in place of its last taken one, is masked to Long.MIN_VALUE).
    long last0 = time[h0 + Math.max(k0, 1) - 1];
    long last1 = time[from1 + Math.max(k1, 1) - 1];
    long took0 = -(long) NoBranch.below(0, k0); // all ones if k0 > 0, else 0
    long took1 = -(long) NoBranch.below(0, k1);
    long maxT = Math.max(emittedNs, Math.max((last0 & took0) | (Long.MIN_VALUE & ~took0), (last1 & took1) | (Long.MIN_VALUE & ~took1)));
    head[0] = (h0 + k0) & mask;
    size[0] = n0 - k0;
    head[1] = (h1 + k1) & mask;
    size[1] = n1 - k1;
    buffered -= k0 + k1;
    emittedNs = maxT;
    return true;
  }

  /**
   * Emits from {@code s} while it would still be chosen: before {@code w} (unless {@code all}), and
   * older than the runner-up, or as old and of a lower index (oldestSource's tie rule). At least one
   * event (the caller checked the first). That rule is one bound on the time, computed once per run, and
   * the run is handed over with it ({@link MergedStream#onMergedRun}, which finds the run's end in its
   * own loop; a second call where the ring wraps around its end): one call per run instead of one per
   * event. Emitting changes no ring, and the downstream stage never reads the merge's state.
   */
  private void emitRun(int s, long w, boolean all, int second, long secondT) {
    final int base = s << shift;
    final int n0 = size[s];
    final int h0 = head[s];
    // The run goes on while its next time is at most lastNs: before w, and before the runner-up's head
    // or at it when s wins the tie (s < second). Neither subtraction overflows: the caller saw the first
    // event below w, so w > Long.MIN_VALUE; and a source that loses ties (s > second) was chosen for a
    // head strictly older than secondT, so secondT > Long.MIN_VALUE.
    long lastNs = all ? Long.MAX_VALUE : w - 1;
    if (second >= 0) {
      lastNs = Math.min(lastNs, s < second ? secondT : secondT - 1);
    }
    int from = base | h0;
    int pieceEnd = from + Math.min(n0, mask + 1 - h0);
    int end = out.onMergedRun(s, time, payload, from, pieceEnd, lastNs);
    int k = end - from;
    if (unordered[s] != 0 || (end == pieceEnd && k < n0)) {
      finishUnusualRun(s, from, end, lastNs);
      return;
    }
    // The usual run: in time order (its newest time is its last event's) and not wrapping around the ring's end.
    head[s] = (h0 + k) & mask;
    size[s] = n0 - k;
    buffered -= k;
    emittedNs = Math.max(emittedNs, time[end - 1]);
  }

  /**
   * The rest of {@link #emitRun} for a run that reached the ring's end with events left at its start (the
   * second piece goes over in a second call) or of a ring not in time order (the newest time emitted is
   * found by a scan of each piece's slots: a channel's events may come slightly out of order). Out of line
   * on purpose (issue 19, JIT): both are rare (a ring wraps once per capacity's worth of events), and kept
   * in {@link #emitRun} their branches, unseen by the JIT's first profile, were where C2 threw away the
   * compiled merge-to-decision chain (an unstable_if trap) the first time a ring wrapped.
   */
  private void finishUnusualRun(int s, int from, int end, long lastNs) {
    final int base = s << shift;
    final int n0 = size[s];
    final int h0 = head[s];
    int pieceEnd = from + Math.min(n0, mask + 1 - h0);
    boolean scan = unordered[s] != 0;
    long maxT = scan ? maxTime(emittedNs, from, end) : Math.max(emittedNs, time[end - 1]);
    int k = end - from;
    if (end == pieceEnd && k < n0) {
      end = out.onMergedRun(s, time, payload, base, base + (n0 - k), lastNs);
      if (end > base) {
        maxT = scan ? maxTime(maxT, base, end) : Math.max(maxT, time[end - 1]);
      }
      k += end - base;
    }
    if (k == n0) {
      unordered[s] = 0; // the ring is empty
    }
    head[s] = (h0 + k) & mask;
    size[s] = n0 - k;
    buffered -= k;
    emittedNs = maxT;
  }

  /** The larger of {@code max} and the times in ring slots [from, to). */
  private long maxTime(long max, int from, int to) {
    for (int i = from; i < to; i++) {
      max = Math.max(max, time[i]);
    }
    return max;
  }

  private int oldestSource() {
    int best = -1;
    long bestT = Long.MAX_VALUE;
    for (int s = 0; s < size.length; s++) {
      if (size[s] > 0) {
        long t = time[(s << shift) | head[s]];
        if (best < 0 || t < bestT) {
          best = s;
          bestT = t;
        }
      }
    }
    return best;
  }

  private void emitFrom(int s) {
    int h = head[s];
    int i = (s << shift) | h;
    long t = time[i];
    long p = payload[i];
    head[s] = (h + 1) & mask;
    size[s]--;
    buffered--;
    if (t > emittedNs) {
      emittedNs = t;
    }
    out.onMergedEvent(s, t, (int) p, (int) (p >>> 32));
  }

  /** Events buffered, not yet emitted. */
  int buffered() {
    return buffered;
  }

  /** Events of one source buffered. */
  int buffered(int source) {
    return size[source];
  }

  /** Events emitted early because a source's ring was full. */
  long forcedEmits() {
    return forcedEmits;
  }

  /** Times a ring was compacted (see {@link #compact}). */
  long compactions() {
    return compactions;
  }

  /** Times a board was declared idle by the wall-clock rule. */
  long idleExclusions() {
    return idleExclusions;
  }

  /** Time of the newest emitted event, ns (Long.MIN_VALUE before the first). */
  long emittedNs() {
    return emittedNs;
  }

  /** The last watermark passed downstream, ns. */
  long watermarkNs() {
    return watermarkNs;
  }

  // --- checkpoints -----------------------------------------------------------------------------

  private static final int STATE_TAG = StateWriter.tag("MRGE");

  /**
   * Writes the buffered events of every ring (at their ring positions: the head decides when a ring
   * is compacted), the watermarks, the wall-clock idleness of each board and the counters. The
   * scratch array {@link #boardWatermarkNs} is recomputed before every use and is not saved.
   */
  void saveState(StateWriter out) {
    out.section(STATE_TAG);
    out.putInt(mask + 1);
    out.putLong(idleTimeoutNs);
    out.putBoolean(batching);
    out.putBoolean(drainDue);
    out.putInt(head.length);
    for (int s = 0; s < head.length; s++) {
      out.putPositionInt(head[s]);
      out.putInt(size[s]);
      int base = s << shift;
      for (int k = 0; k < size[s]; k++) {
        int i = base | ((head[s] + k) & mask);
        out.putLong(time[i]);
        out.putLong(payload[i]);
      }
    }
    out.putLongs(lastEventNs);
    out.putLongs(boardStatusNs);
    out.putBooleans(seenSinceIdleCheck);
    out.putLongs(lastSeenWallNs);
    out.putBooleans(wallIdle);
    out.putPositionLong(firstSeenNs); // compared by SegmentJoin where it still matters
    out.putLong(emittedNs);
    out.putLong(watermarkNs);
    out.putLong(rawWatermarkNs);
    out.putInt(buffered);
    out.putSumLong(forcedEmits);
    out.putSumLong(idleExclusions);
    out.putPositionLong(compactions); // depends on ring positions, which a segment does not share
  }

  void restoreState(StateReader in) {
    in.section(STATE_TAG, "merge");
    in.expectInt("merge.capacityPerSource", mask + 1);
    in.expectLong("gates.mergeIdleTimeoutSeconds (ns)", idleTimeoutNs);
    batching = in.getBoolean();
    drainDue = in.getBoolean();
    in.expectInt("merge.sources", head.length);
    long total = 0;
    for (int s = 0; s < head.length; s++) {
      int at = in.offset();
      head[s] = in.getInt();
      if (head[s] < 0 || head[s] > mask) {
        throw new StateFormatException("merge.head[" + s + "]=" + head[s] + " outside the ring", at);
      }
      size[s] = in.getCount("merge.size[" + s + "]", mask + 1);
      int base = s << shift;
      for (int k = 0; k < size[s]; k++) {
        int i = base | ((head[s] + k) & mask);
        time[i] = in.getLong();
        payload[i] = in.getLong();
      }
      total += size[s];
    }
    in.getLongs("merge.lastEventNs", lastEventNs);
    java.util.Arrays.fill(unordered, 1); // not saved: scanned until each ring empties
    in.getLongs("merge.boardStatusNs", boardStatusNs);
    in.getBooleans("merge.seenSinceIdleCheck", seenSinceIdleCheck);
    in.getLongs("merge.lastSeenWallNs", lastSeenWallNs);
    in.getBooleans("merge.wallIdle", wallIdle);
    firstSeenNs = in.getLong();
    emittedNs = in.getLong();
    watermarkNs = in.getLong();
    rawWatermarkNs = in.getLong();
    int at = in.offset();
    buffered = in.getInt();
    if (buffered != total) {
      throw new StateFormatException("merge.buffered=" + buffered + " but the rings hold " + total + " events", at);
    }
    forcedEmits = in.getLong();
    idleExclusions = in.getLong();
    compactions = in.getLong();
  }

  /** Whether an EVENTS batch is open ({@link #beginBatch} without its {@link #endBatch}). */
  boolean batchInProgress() {
    return batching;
  }

  /**
   * Issue 19 ({@link SegmentJoin}): what the first data time seen means to the idle rule for board
   * {@code b}, {@code max(board watermark, first seen)} (Long.MIN_VALUE before any data): the first
   * time seen enters the merge only so, and board watermarks never go back.
   */
  long idleFloorNs(int b) {
    return firstSeenNs == Long.MIN_VALUE ? Long.MIN_VALUE : Math.max(boardWatermark(b), firstSeenNs);
  }
}
