package org.nudaq.server.pipeline;

import org.nudaq.monitor.config.GateConfig;

/**
 * The data-quality gate: data time cut into slices of gates.qualitySliceSeconds; per detector, a slice
 * whose count in the quality band is far above the mean of the good full slices is bad, and all its
 * time and its candidates are gated (DATA_QUALITY). Two slices are open at a time, in two slots (slice
 * k in slot k &amp; 1): the current one, and the one before it until every event in it is decided
 * (veto.windowAfterNs after its end, shorter than a slice). Per slot it keeps the real and gated time
 * per reactor state, and per detector the band count and the candidates held (their spectra are
 * {@link SpectrumBank}'s); a judged slice adds its gated time (all of it when bad) to {@link #gatedNs}.
 *
 * <p>Arrays are indexed slot, detector, state, in that order (as everywhere in the pipeline).
 *
 * <p>Single-threaded (the pipeline thread); allocation-free.
 */
final class QualitySlices {
  private static final int SLOTS = 2;
  private static final long NONE = Long.MIN_VALUE;

  private final ChannelMap map;
  private final PipelineCounters counters;
  private final SpectrumBank spectra;
  private final FateTracker fates;
  final long sliceNs;
  private final long windowAfterNs;
  private final double maxRatio;

  /** The slice in each slot, or NONE. */
  private final long[] slotSlice = {NONE, NONE};
  /** [slot][state]: real time of the slice, ns. */
  private final long[][] slotRealNs = new long[SLOTS][ReactorState.COUNT];
  /** [slot][state]: gated (muon, margin) time of the slice, ns. */
  private final long[][] slotGatedNs = new long[SLOTS][ReactorState.COUNT];
  /** [slot][detector]: HPGe events in the quality band. */
  private final long[][] slotBand;
  /** [slot][detector]: candidates held until the slice is judged. */
  private final long[][] slotHeld;
  private long currentSlice = NONE;
  private long currentSliceStartNs;
  private long currentSliceEndNs;
  private final long[] goodSlices;
  private final long[] goodFullSlices;
  private final long[] goodBandSum;
  private final long[] badSlices;
  /** [detector][state]: gated (excluded) real time of the judged slices, ns. */
  private final long[][] gatedNs;
  /** Issue 19: every verdict (detector × 2 + bad, band count, covered ns) in a speculative segment; else null. */
  private SegmentLog verdicts;

  QualitySlices(ChannelMap map, PipelineCounters counters, SpectrumBank spectra, FateTracker fates, GateConfig gates,
      long windowAfterNs) {
    this.map = map;
    this.counters = counters;
    this.spectra = spectra;
    this.fates = fates;
    this.windowAfterNs = windowAfterNs;
    sliceNs = Math.round(gates.qualitySliceSeconds() * 1e9);
    if (windowAfterNs >= sliceNs) {
      throw new IllegalArgumentException("pipeline: veto.windowAfterNs (" + windowAfterNs
          + ") must be shorter than gates.qualitySliceSeconds (" + gates.qualitySliceSeconds() + ")");
    }
    maxRatio = gates.qualityMaxRatio();
    int nd = map.detectorCount;
    slotBand = new long[SLOTS][nd];
    slotHeld = new long[SLOTS][nd];
    goodSlices = new long[nd];
    goodFullSlices = new long[nd];
    goodBandSum = new long[nd];
    badSlices = new long[nd];
    gatedNs = new long[nd][ReactorState.COUNT];
  }

  // --- per event ---------------------------------------------------------------------------------

  /** The slot of the slice that holds time {@code t} (the current slice's, or by parity). */
  int slotOf(long t) {
    return t >= currentSliceStartNs && t < currentSliceEndNs ? (int) (currentSlice & 1) : (int) (Math.floorDiv(t, sliceNs) & 1);
  }

  /** A decided HPGe event of a detector in the quality band. */
  void countBand(int slot, int detector) {
    slotBand[slot][detector]++;
  }

  /** A decided candidate of a detector, held until its slice is judged (its bin: {@link SpectrumBank#hold}). */
  void countHeld(int slot, int detector) {
    slotHeld[slot][detector]++;
  }

  // --- time --------------------------------------------------------------------------------------

  /** The slice the clock is in. */
  long currentSlice() {
    return currentSlice;
  }

  /** The end of the current slice, ns. */
  long currentSliceEndNs() {
    return currentSliceEndNs;
  }

  /**
   * Books real time (fromNs, toNs] of a reactor state index into the current slice, and the part of it
   * before {@code gatedUntilNs} as gated.
   */
  void book(int state, long fromNs, long toNs, long gatedUntilNs) {
    int slot = (int) (currentSlice & 1);
    slotRealNs[slot][state] += toNs - fromNs;
    // Branch-free (max, not an if): the part before gatedUntilNs is empty now and then, and a branch that
    // the JIT's profile never saw taken costs a deopt of the inlined hot path the first time it is.
    long gatedEnd = Math.min(toNs, gatedUntilNs);
    slotGatedNs[slot][state] += Math.max(gatedEnd, fromNs) - fromNs;
  }

  /** Opens slice {@code k} as the current one; the slice two before it, in the same slot, is judged first. */
  void open(long k) {
    int slot = (int) (k & 1);
    if (slotSlice[slot] != NONE) {
      judge(slot); // k - 2, whose events are all decided (windowAfter < slice length)
    }
    slotSlice[slot] = k;
    currentSlice = k;
    currentSliceStartNs = k * sliceNs;
    currentSliceEndNs = (k + 1) * sliceNs;
  }

  /** Judges the older slice once every event in it is decided at data time {@code now}. */
  void judgeDecidedBy(long now) {
    for (int n = 0; n < SLOTS; n++) {
      int slot = olderOpenSlot();
      if (slot < 0 || slotSlice[slot] == currentSlice) {
        return;
      }
      if ((slotSlice[slot] + 1) * sliceNs + windowAfterNs > now) {
        return;
      }
      judge(slot);
    }
  }

  /** The earliest time at which the slices need attention: the current one ends, or the older one can be judged. */
  long quietUntil() {
    long until = currentSliceEndNs;
    int older = olderOpenSlot();
    if (older >= 0 && slotSlice[older] != currentSlice) {
      until = Math.min(until, (slotSlice[older] + 1) * sliceNs + windowAfterNs);
    }
    return until;
  }

  /** End of run: judges the open slices, older first (partial ones scaled by their coverage). */
  void judgeAll() {
    for (int n = 0; n < SLOTS; n++) {
      int slot = olderOpenSlot();
      if (slot >= 0) {
        judge(slot);
      }
    }
  }

  private int olderOpenSlot() {
    long a = slotSlice[0];
    long b = slotSlice[1];
    if (a == NONE) {
      return b == NONE ? -1 : 1;
    }
    if (b == NONE) {
      return 0;
    }
    return a < b ? 0 : 1;
  }

  private void judge(int slot) {
    long[] real = slotRealNs[slot];
    long realTotal = 0;
    for (int s = 0; s < ReactorState.COUNT; s++) {
      realTotal += real[s];
    }
    for (int d = 0; d < map.detectorCount; d++) {
      int source = map.detectorSource[d];
      long band = slotBand[slot][d];
      boolean bad = isBad(d, band, realTotal);
      if (verdicts != null) {
        verdicts.add(slotSlice[slot], 2L * d + (bad ? 1 : 0), band, realTotal);
      }
      fates.sliceJudged(slot, d, !bad);
      if (bad) {
        badSlices[d]++;
        counters.gated[GateReason.DATA_QUALITY.ordinal()][source] += slotHeld[slot][d];
        for (int s = 0; s < ReactorState.COUNT; s++) {
          gatedNs[d][s] += real[s];
        }
      } else {
        goodSlices[d]++;
        if (realTotal == sliceNs) {
          goodFullSlices[d]++;
          goodBandSum[d] += band;
        }
        counters.accepted[source] += slotHeld[slot][d];
        spectra.acceptHeld(slot, d);
        for (int s = 0; s < ReactorState.COUNT; s++) {
          gatedNs[d][s] += slotGatedNs[slot][s];
        }
      }
      spectra.clearHeld(slot, d);
      slotBand[slot][d] = 0;
      slotHeld[slot][d] = 0;
    }
    for (int s = 0; s < ReactorState.COUNT; s++) {
      real[s] = 0;
      slotGatedNs[slot][s] = 0;
    }
    slotSlice[slot] = NONE;
  }

  /**
   * A slice is bad when its band count exceeds maxRatio × expected + 5·sqrt(max(expected, 1)), with
   * expected the mean band count of good full slices scaled to this slice's covered time. The floor
   * of 1 under the square root keeps a sparse band (mean ≪ 1) from condemning every slice with a
   * single count. Without a reference (no good full slice yet) a slice is good.
   */
  private boolean isBad(int d, long band, long realNs) {
    return isBad(goodFullSlices[d], goodBandSum[d], band, realNs);
  }

  private boolean isBad(long goodFull, long goodBand, long band, long realNs) {
    if (goodFull == 0 || realNs <= 0) {
      return false;
    }
    double expected = (double) goodBand / goodFull * ((double) realNs / sliceNs);
    return band > maxRatio * expected + 5 * Math.sqrt(Math.max(expected, 1.0));
  }

  /** Issue 19: from now on, logs every verdict ({@link SegmentJoin}). */
  void logVerdicts(SegmentLog log) {
    verdicts = log;
  }

  /**
   * Issue 19 ({@link SegmentJoin}): corrects this joined state (a speculative segment's end, its sums
   * + truth − start) for the data-quality slices. The slices open at the segment's start held less
   * in the speculative segment than in truth (what came before its warm-up: the difference P of the
   * pending sums). Re-judges every slice the segment judged ({@code log}, in order) with the true mean
   * of good slices and, for those open at the start, P added; if a verdict differs, returns why (the
   * segment must be replayed again). Else sends P where the verdict sends a slice's content (accepted
   * or gated; P stays in the slot of a slice still open), and sets the good-slice statistics to truth's
   * plus the re-judged slices'. Returns null then.
   */
  String joinOpenSlices(QualitySlices truth, QualitySlices start, SegmentLog log) {
    long[] full = truth.goodFullSlices.clone();
    long[] bandSum = truth.goodBandSum.clone();
    boolean[] judged = new boolean[SLOTS];
    for (int i = 0; i + 3 < log.size(); i += 4) {
      long k = log.get(i);
      int d = (int) (log.get(i + 1) >> 1);
      boolean bad = (log.get(i + 1) & 1) != 0;
      long band = log.get(i + 2);
      long realNs = log.get(i + 3);
      int slot = (int) (k & 1);
      boolean open = truth.slotSlice[slot] == k;
      long[] pReal = new long[ReactorState.COUNT];
      long pBand = 0;
      if (open) {
        for (int s = 0; s < ReactorState.COUNT; s++) {
          pReal[s] = truth.slotRealNs[slot][s] - start.slotRealNs[slot][s];
          realNs += pReal[s];
        }
        pBand = truth.slotBand[slot][d] - start.slotBand[slot][d];
        band += pBand;
      }
      if (isBad(full[d], bandSum[d], band, realNs) != bad) {
        return "data-quality slice " + k + " of detector " + d + " is judged " + (bad ? "good" : "bad")
            + " with the mean of all good slices before it";
      }
      if (!bad && realNs == sliceNs) {
        full[d]++;
        bandSum[d] += band;
      }
      if (open) {
        judged[slot] = true;
        int source = map.detectorSource[d];
        long pHeld = truth.slotHeld[slot][d] - start.slotHeld[slot][d];
        if (bad) {
          counters.gated[GateReason.DATA_QUALITY.ordinal()][source] += pHeld;
          for (int s = 0; s < ReactorState.COUNT; s++) {
            gatedNs[d][s] += pReal[s];
          }
        } else {
          counters.accepted[source] += pHeld;
          spectra.addHeldDifference(slot, d, truth.spectra, start.spectra, false);
          for (int s = 0; s < ReactorState.COUNT; s++) {
            gatedNs[d][s] += truth.slotGatedNs[slot][s] - start.slotGatedNs[slot][s];
          }
        }
      }
    }
    for (int slot = 0; slot < SLOTS; slot++) {
      if (truth.slotSlice[slot] == NONE || judged[slot]) {
        continue;
      }
      if (slotSlice[slot] != truth.slotSlice[slot]) {
        return "data-quality slice " + truth.slotSlice[slot] + " left its slot unjudged";
      }
      for (int s = 0; s < ReactorState.COUNT; s++) {
        slotRealNs[slot][s] += truth.slotRealNs[slot][s] - start.slotRealNs[slot][s];
        slotGatedNs[slot][s] += truth.slotGatedNs[slot][s] - start.slotGatedNs[slot][s];
      }
      for (int d = 0; d < map.detectorCount; d++) {
        slotBand[slot][d] += truth.slotBand[slot][d] - start.slotBand[slot][d];
        slotHeld[slot][d] += truth.slotHeld[slot][d] - start.slotHeld[slot][d];
        spectra.addHeldDifference(slot, d, truth.spectra, start.spectra, true);
      }
    }
    System.arraycopy(full, 0, goodFullSlices, 0, full.length);
    System.arraycopy(bandSum, 0, goodBandSum, 0, bandSum.length);
    return null;
  }

  // --- reads -------------------------------------------------------------------------------------

  /** Candidates held in slices not judged yet, all detectors. */
  long held() {
    long n = 0;
    for (int slot = 0; slot < SLOTS; slot++) {
      for (int d = 0; d < map.detectorCount; d++) {
        n += slotHeld[slot][d];
      }
    }
    return n;
  }

  /** Candidates of one detector held in slices not judged yet. */
  long held(int detector) {
    return slotHeld[0][detector] + slotHeld[1][detector];
  }

  long badSlices(int detector) {
    return badSlices[detector];
  }

  long goodSlices(int detector) {
    return goodSlices[detector];
  }

  /** Gated real time of a detector in a reactor state index, judged slices only, ns. */
  long gatedNs(int detector, int state) {
    return gatedNs[detector][state];
  }

  // --- checkpoints -----------------------------------------------------------------------------

  /** Writes both slots, the current slice, the verdict statistics and the gated time (booked up to the clock). */
  void saveState(StateWriter out) {
    out.putLongs(slotSlice);
    for (int slot = 0; slot < SLOTS; slot++) {
      out.putPendingLongs(slotRealNs[slot]); // pending: their destination is the slice's verdict
      out.putPendingLongs(slotGatedNs[slot]);
      out.putPendingLongs(slotBand[slot]);
      out.putPendingLongs(slotHeld[slot]);
    }
    out.putLong(currentSlice);
    out.putLong(currentSliceStartNs);
    out.putLong(currentSliceEndNs);
    out.putSumLongs(goodSlices); // sums once SegmentJoin has checked the verdicts (verdictLog)
    out.putSumLongs(goodFullSlices);
    out.putSumLongs(goodBandSum);
    out.putSumLongs(badSlices);
    out.putInt(gatedNs.length);
    for (long[] g : gatedNs) {
      out.putSumLongs(g);
    }
  }

  void restoreState(StateReader in) {
    in.getLongs("decisions.slotSlice", slotSlice);
    for (int slot = 0; slot < SLOTS; slot++) {
      in.getLongs("decisions.slotRealNs[" + slot + "]", slotRealNs[slot]);
      in.getLongs("decisions.slotGatedNs[" + slot + "]", slotGatedNs[slot]);
      in.getLongs("decisions.slotBand[" + slot + "]", slotBand[slot]);
      in.getLongs("decisions.slotHeld[" + slot + "]", slotHeld[slot]);
    }
    currentSlice = in.getLong();
    currentSliceStartNs = in.getLong();
    currentSliceEndNs = in.getLong();
    in.getLongs("decisions.goodSlices", goodSlices);
    in.getLongs("decisions.goodFullSlices", goodFullSlices);
    in.getLongs("decisions.goodBandSum", goodBandSum);
    in.getLongs("decisions.badSlices", badSlices);
    in.expectInt("decisions.detectors", gatedNs.length);
    for (int d = 0; d < gatedNs.length; d++) {
      in.getLongs("decisions.gatedNs[" + d + "]", gatedNs[d]);
    }
  }
}
