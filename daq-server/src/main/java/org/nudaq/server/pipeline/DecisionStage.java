package org.nudaq.server.pipeline;

import org.nudaq.monitor.wire.EventFlags;
import org.nudaq.monitor.config.AnalysisConfig;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.VetoConfig;
import org.nudaq.monitor.spectrum.Binning;

/**
 * Everything after the merge, in data time: calibration, NaI anticoincidence with look-ahead, muon
 * gates, reactor state and transition margins, flag cuts, data-quality slices, and the exact
 * bookkeeping of gated time; the counting into spectra is {@link SpectrumBank}'s. At 736 lines it is
 * over the ~400-line rule: the veto look-ahead, the gate clock and the quality slices share the
 * per-event state in one class for speed today; splitting them further (issue 15) is still to do and
 * must keep the seeded digests equal and the JMH figures.
 *
 * <p>Order of work for each point in time {@code now} (an event time or a watermark):
 * <ol>
 *   <li>decide the HPGe events whose veto window has closed ({@code t + windowAfter < now});</li>
 *   <li>judge the data-quality slices all of whose events are decided;</li>
 *   <li>advance the clock to {@code now}: apply reactor-state changes, and tally real and gated time
 *       per state into the open slice (gated time is the union of muon and margin gates: one
 *       "gated until" cursor, so overlapping gates are never counted twice);</li>
 *   <li>handle the event.</li>
 * </ol>
 *
 * <p>Single-threaded (the pipeline thread); allocation-free per event.
 */
final class DecisionStage implements MergedStream {
  static final int OFF = 0;
  static final int ON = 1;
  static final int UNKNOWN = 2;
  private static final int CANDIDATE = 0;
  private static final int REJECT_BASE = 1;
  private static final int GATE_BASE = 16;

  private final ChannelMap map;
  private final PipelineCounters counters;
  private final ReactorTimeline timeline;
  /** Export hooks; {@link FateTracker#NONE} (empty, inlined away) without an export. */
  private final FateTracker fates;
  private final AdcTable adcTable;
  private final boolean[] hpge;
  private final int[] detectorOf;

  private final long windowBeforeNs;
  private final long windowAfterNs;
  private final long muonDeadTimeNs;
  private final long marginNs;
  private final boolean rejectPileup;
  private final boolean rejectSaturated;
  private final long sliceNs;
  private final double maxRatio;

  /** Every spectrum, and the candidates held in the open data-quality slices. */
  final SpectrumBank spectra;

  // Look-ahead ring of HPGe events waiting for their veto window to close.
  private final int ringMask;
  private final long[] pTime;
  /**
   * Everything else about a waiting event in one long (one store per event instead of six; see
   * {@link #pack}): the AdcTable code of its ADC value (bin and band bit), its source, its cut code,
   * the reactor state at its time, its data-quality slot (its slice's parity) and whether an NaI hit
   * vetoes it.
   */
  private final long[] pInfo;
  private static final int INFO_SOURCE_SHIFT = 32;
  private static final int INFO_CODE_SHIFT = 48;
  private static final int INFO_STATE_SHIFT = 54;
  private static final int INFO_SLOT_SHIFT = 56;
  private static final long INFO_VETOED = 1L << 57;
  private int pHead;
  private int pSize;
  private long lookaheadOverflows;

  private long lastVetoHitNs = Long.MIN_VALUE / 2;
  private long muonUntilNs = Long.MIN_VALUE;
  private long marginUntilNs = Long.MIN_VALUE;
  /** max(muonUntilNs, marginUntilNs): an HPGe event at or after it is not gated by either. */
  private long gatesUntilNs = Long.MIN_VALUE;
  /** The flag bits that reject an HPGe event (pile-up and saturation, as configured). */
  private final int rejectFlags;
  private long gatedUntilNs = Long.MIN_VALUE;
  private long muons;

  // Clock.
  private long clockNs = Long.MIN_VALUE;
  private int state = UNKNOWN;
  private long timelineCursor;
  private long lateStateChanges;

  // Data-quality slices: two slots (slice k in slot k & 1); windowAfter < slice length.
  private final long[] slotSlice = {Long.MIN_VALUE, Long.MIN_VALUE};
  private final long[][] slotRealNs = new long[2][3];
  private final long[][] slotGatedNs = new long[2][3];
  private final long[][] slotBand;
  private final long[][] slotHeld;
  private long currentSlice = Long.MIN_VALUE;
  private long currentSliceStartNs;
  private long currentSliceEndNs;
  /**
   * The earliest time at which advancing the clock needs more than moving it: a look-ahead decision
   * falls due, the slices need attention ({@link #quietUntil()}), or a reactor-state change applies.
   * Earlier than necessary is always safe (the slow path then does what the fast one would);
   * Long.MIN_VALUE forces the slow path.
   */
  private long attentionNs = Long.MIN_VALUE;
  /**
   * Real and gated time are booked into the open slice up to here; the interval (tallyNs, clockNs]
   * is booked lazily by {@link #flushTally()}, which is exact because slice, state and gatedUntilNs
   * do not change inside it (every change flushes first).
   */
  private long tallyNs = Long.MIN_VALUE;
  private final long[] goodSlices;
  private final long[] goodFullSlices;
  private final long[] goodBandSum;
  private final long[] badSlices;
  /** Gated (excluded) real time per detector and state, ns. */
  final long[][] gatedNs;
  /** Slow-control rules in data time (issue 18): while one is violated, events are gated and time is gated. */
  private SlowControlGate slowControl = new SlowControlGate(org.nudaq.monitor.config.SlowControlConfig.NONE);

  DecisionStage(ChannelMap map, PipelineCounters counters, ReactorTimeline timeline, AnalysisConfig analysis,
      VetoConfig veto, GateConfig gates, int lookaheadCapacity, FateTracker fates) {
    this.map = map;
    this.fates = fates;
    this.counters = counters;
    this.timeline = timeline;
    hpge = map.sourceHpge;
    detectorOf = map.sourceDetector;
    windowBeforeNs = veto.windowBeforeNs();
    windowAfterNs = veto.windowAfterNs();
    double muonThresholdKeV = veto.muonThresholdKeV();
    muonDeadTimeNs = veto.muonDeadTimeNs();
    marginNs = Math.round(gates.reactorMarginSeconds() * 1e9);
    rejectPileup = gates.rejectPileup();
    rejectSaturated = gates.rejectSaturated();
    rejectFlags = (rejectPileup ? EventFlags.PILEUP : 0) | (rejectSaturated ? EventFlags.SATURATION : 0);
    sliceNs = Math.round(gates.qualitySliceSeconds() * 1e9);
    if (windowAfterNs >= sliceNs) {
      throw new IllegalArgumentException("pipeline: veto.windowAfterNs=" + windowAfterNs
          + " must be shorter than gates.qualitySliceSeconds=" + gates.qualitySliceSeconds());
    }
    maxRatio = gates.qualityMaxRatio();
    int nd = map.detectorCount;
    double[] thresholdKeV = new double[nd];
    Binning binning = Binning.covering(analysis.spectrumLowKeV(), analysis.spectrumHighKeV(), analysis.binWidthKeV());
    for (int d = 0; d < nd; d++) {
      thresholdKeV[d] = map.detectors[d].thresholdKeV();
    }
    // NaI spectra: 20 keV bins up to twice the muon threshold (muons above it overflow).
    Binning naiBinning = Binning.covering(0, 2 * muonThresholdKeV, 2 * muonThresholdKeV / 1000);
    spectra = new SpectrumBank(map, binning, naiBinning);
    adcTable = new AdcTable(map, binning, naiBinning, thresholdKeV, gates.qualityBandHighKeV(), veto.naiThresholdKeV(),
        muonThresholdKeV);
    if (Integer.bitCount(lookaheadCapacity) != 1) {
      throw new IllegalArgumentException("pipeline: lookaheadCapacity must be a power of two, got " + lookaheadCapacity);
    }
    ringMask = lookaheadCapacity - 1;
    pTime = new long[lookaheadCapacity];
    if (map.sourceCount > 0xFFFF) {
      throw new IllegalArgumentException("pipeline: at most 65535 channels, got " + map.sourceCount);
    }
    pInfo = new long[lookaheadCapacity];
    slotBand = new long[2][nd];
    slotHeld = new long[2][nd];
    goodSlices = new long[nd];
    goodFullSlices = new long[nd];
    goodBandSum = new long[nd];
    badSlices = new long[nd];
    gatedNs = new long[nd][3];
  }

  // --- the merged stream ---------------------------------------------------------------------

  @Override
  public void onWatermark(long timeNs) {
    advanceTo(timeNs);
  }

  @Override
  public void onMergedEvent(int source, long t, int adc, int flags) {
    advanceTo(t);
    int adcCode = adcTable.code(source, adc);
    if (hpge[source]) {
      fates.hpgeQueued(source, t, adc, flags, state);
      onHpge(source, t, adcCode, flags);
    } else {
      fates.naiAccepted(source, t, adc, flags, state);
      onNai(source, t, adcCode);
    }
  }

  private void onNai(int source, long t, int adcCode) {
    counters.accepted[source]++;
    if (state != UNKNOWN) {
      spectra.fillFirst(source, state, AdcTable.bin(adcCode));
    }
    if ((adcCode & AdcTable.VETO) != 0) {
      lastVetoHitNs = t;
      // Look-ahead: HPGe events up to windowAfter before this hit are vetoed by it.
      long from = t - windowAfterNs;
      for (int k = pSize - 1; k >= 0; k--) {
        int i = (pHead + k) & ringMask;
        if (pTime[i] < from) {
          break;
        }
        pInfo[i] |= INFO_VETOED;
      }
    }
    if ((adcCode & AdcTable.MUON) != 0) {
      muons++;
      long until = t + muonDeadTimeNs;
      if (until > muonUntilNs) {
        muonUntilNs = until;
        gatesUntilNs = Math.max(gatesUntilNs, until);
      }
      if (until > gatedUntilNs) {
        flushTally();
        gatedUntilNs = until;
      }
    }
  }

  private void onHpge(int source, long t, int adcCode, int flags) {
    int d = detectorOf[source];
    if (state != UNKNOWN) {
      spectra.fillFirst(source, state, AdcTable.bin(adcCode));
    }
    // Fast test for the common case (no cut applies); the chain below gives the precedence otherwise.
    int code = (flags & rejectFlags) == 0 && t >= gatesUntilNs && state != UNKNOWN ? CANDIDATE : cutCode(t, flags);
    if (pSize > ringMask) {
      // Look-ahead ring full (an HPGe burst): decide the oldest now, with the NaI seen so far.
      lookaheadOverflows++;
      decideHead();
    }
    if (pSize == 0) {
      pHead = 0; // restart an empty ring at slot 0: the slots in use stay in cache
      long due = t + windowAfterNs + 1; // decided once the clock passes t + windowAfter
      if (due < attentionNs) {
        attentionNs = due;
      }
    }
    int i = (pHead + pSize) & ringMask;
    pTime[i] = t;
    int slot = t >= currentSliceStartNs && t < currentSliceEndNs ? (int) (currentSlice & 1) : (int) (Math.floorDiv(t, sliceNs) & 1);
    pInfo[i] = pack(adcCode, source, code, state, slot, lastVetoHitNs >= t - windowBeforeNs);
    pSize++;
  }

  /** The first cut that applies to an HPGe event, in order of precedence (or CANDIDATE if none). */
  private int cutCode(long t, int flags) {
    int code;
    if (rejectPileup && (flags & EventFlags.PILEUP) != 0) {
      code = REJECT_BASE + RejectReason.PILEUP.ordinal();
    } else if (rejectSaturated && (flags & EventFlags.SATURATION) != 0) {
      code = REJECT_BASE + RejectReason.SATURATION.ordinal();
    } else if (t < muonUntilNs) {
      code = GATE_BASE + GateReason.MUON.ordinal();
    } else if (slowControl.excluding()) {
      code = GATE_BASE + GateReason.SLOW_CONTROL.ordinal();
    } else if (state == UNKNOWN) {
      code = GATE_BASE + GateReason.REACTOR_UNKNOWN.ordinal();
    } else if (t < marginUntilNs) {
      code = GATE_BASE + GateReason.REACTOR_TRANSITION.ordinal();
    } else {
      code = CANDIDATE;
    }
    return code;
  }

  // --- time --------------------------------------------------------------------------------------

  private void advanceTo(long now) {
    if (now >= attentionNs) {
      advanceSlowly(now);
    } else if (now > clockNs) {
      clockNs = now; // booked lazily (flushTally)
    }
  }

  /** Books real and gated time of (tallyNs, clockNs] into the open slice; see {@link #tallyNs}. */
  private void flushTally() {
    long from = tallyNs;
    long to = clockNs;
    if (to > from) {
      int slot = (int) (currentSlice & 1);
      slotRealNs[slot][state] += to - from;
      long gatedEnd = Math.min(to, gatedUntilNs);
      if (gatedEnd > from) {
        slotGatedNs[slot][state] += gatedEnd - from;
      }
      tallyNs = to;
    }
  }

  private void advanceSlowly(long now) {
    if (now <= clockNs) {
      return;
    }
    flushTally();
    while (pSize > 0 && pTime[pHead] + windowAfterNs < now) {
      decideHead();
    }
    closeSlicesDecidedBy(now);
    advanceClock(now);
    tallyNs = clockNs; // advanceClock booked everything up to the clock itself
    // Before quietUntil(), advancing the clock touches no slice boundary and closes no slice.
    long until = quietUntil();
    if (pSize > 0) {
      until = Math.min(until, pTime[pHead] + windowAfterNs + 1);
    }
    if (timelineCursor < timeline.count()) {
      until = Math.min(until, timeline.timeAt(Math.max(timelineCursor, timeline.oldest())));
    }
    until = Math.min(until, slowControl.nextBoundaryNs());
    attentionNs = until;
  }

  /** A reactor-state change was appended to the timeline: the next clock advance looks at it. */
  void onTimelineAppended() {
    attentionNs = Long.MIN_VALUE;
  }

  /** The earliest time at which the slices need attention: the current one ends, or the older one can close. */
  private long quietUntil() {
    long until = currentSliceEndNs;
    int older = olderOpenSlot();
    if (older >= 0 && slotSlice[older] != currentSlice) {
      until = Math.min(until, (slotSlice[older] + 1) * sliceNs + windowAfterNs);
    }
    return until;
  }

  private void advanceClock(long to) {
    if (clockNs == Long.MIN_VALUE) {
      clockNs = to;
      openSlice(Math.floorDiv(to, sliceNs));
    }
    applyStateChangesUpTo(clockNs); // changes reported after the data passed them apply now
    applySlowControlUpTo(clockNs);
    while (clockNs < to) {
      long nextChange = timelineCursor < timeline.count() ? timeline.timeAt(timelineCursor) : Long.MAX_VALUE;
      nextChange = Math.min(nextChange, slowControl.nextBoundaryNs());
      long sliceEnd = (currentSlice + 1) * sliceNs;
      long end = Math.min(to, Math.min(nextChange, sliceEnd));
      int slot = (int) (currentSlice & 1);
      slotRealNs[slot][state] += end - clockNs;
      long gatedEnd = Math.min(end, gatedUntilNs);
      if (gatedEnd > clockNs) {
        slotGatedNs[slot][state] += gatedEnd - clockNs;
      }
      clockNs = end;
      applyStateChangesUpTo(clockNs);
      applySlowControlUpTo(clockNs);
      if (clockNs == sliceEnd) {
        openSlice(currentSlice + 1);
      }
    }
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
      if (next != state && next != UNKNOWN && state != UNKNOWN && marginNs > 0) {
        long until = Math.max(at, clockNs) + marginNs;
        if (until > marginUntilNs) {
          marginUntilNs = until;
          gatesUntilNs = Math.max(gatesUntilNs, until);
        }
        if (until > gatedUntilNs) {
          gatedUntilNs = until;
        }
      }
      state = next;
    }
  }

  /** Uses {@code gate} for the slow-control rules (set once, before any input). */
  void useSlowControl(SlowControlGate gate) {
    slowControl = gate;
  }

  /**
   * Applies slow-control boundaries up to the clock; while a rule is violated both gate cursors stand at
   * the end of time (every event gated, all real time gated), and when the last one clears they fall back
   * to the muon and transition gates. The tally up to the clock is booked when this runs.
   */
  private void applySlowControlUpTo(long t) {
    if (t < slowControl.nextBoundaryNs()) {
      return; // nothing due (the common case: one comparison)
    }
    boolean was = slowControl.excluding();
    slowControl.applyUpTo(t);
    boolean now = slowControl.excluding();
    if (now && !was) {
      gatesUntilNs = Long.MAX_VALUE;
      gatedUntilNs = Long.MAX_VALUE;
    } else if (was && !now) {
      gatesUntilNs = Math.max(muonUntilNs, marginUntilNs);
      gatedUntilNs = Math.max(gatesUntilNs, t);
    }
  }

  // --- decisions ---------------------------------------------------------------------------------

  /** The AdcTable code's bits: bin + 2 and the BAND, VETO and MUON flags. */
  private static final int ADC_CODE_MASK = (1 << 27) - 1;

  private static long pack(int adcCode, int source, int code, int state, int slot, boolean vetoed) {
    return (adcCode & ADC_CODE_MASK) | (long) source << INFO_SOURCE_SHIFT | (long) code << INFO_CODE_SHIFT
        | (long) state << INFO_STATE_SHIFT | (long) slot << INFO_SLOT_SHIFT | (vetoed ? INFO_VETOED : 0);
  }

  private static int infoSource(long info) {
    return (int) (info >>> INFO_SOURCE_SHIFT) & 0xFFFF;
  }

  private static int infoState(long info) {
    return (int) (info >>> INFO_STATE_SHIFT) & 0x3;
  }

  private static int infoSlot(long info) {
    return (int) (info >>> INFO_SLOT_SHIFT) & 1;
  }

  private static int infoCode(long info) {
    return (int) (info >>> INFO_CODE_SHIFT) & 0x3F;
  }

  private static final GateReason[] GATE_REASONS = GateReason.values();
  private static final RejectReason[] REJECT_REASONS = RejectReason.values();

  private void decideHead() {
    int i = pHead;
    pHead = (pHead + 1) & ringMask;
    pSize--;
    long info = pInfo[i];
    int source = infoSource(info);
    if ((info & INFO_VETOED) != 0) {
      counters.vetoed[source]++;
      fates.headDecided(EventFate.VETOED);
      return;
    }
    int d = detectorOf[source];
    int st = infoState(info);
    int adcCode = (int) info;
    int bin = AdcTable.bin(adcCode);
    if (st != UNKNOWN) {
      spectra.fillAfterVeto(d, st, bin);
    }
    int slot = infoSlot(info);
    if ((adcCode & AdcTable.BAND) != 0) {
      slotBand[slot][d]++;
    }
    int code = infoCode(info);
    if (code == CANDIDATE) {
      spectra.hold(slot, d, st, bin);
      slotHeld[slot][d]++;
      fates.headHeld(slot, d);
    } else if (code >= GATE_BASE) {
      counters.gated[code - GATE_BASE][source]++;
      fates.headDecided(EventFate.of(GATE_REASONS[code - GATE_BASE]));
    } else {
      counters.rejected[code - REJECT_BASE][source]++;
      fates.headDecided(EventFate.of(REJECT_REASONS[code - REJECT_BASE]));
    }
  }

  private void openSlice(long k) {
    int slot = (int) (k & 1);
    if (slotSlice[slot] != Long.MIN_VALUE) {
      closeSlot(slot); // k - 2, whose events are all decided (windowAfter < slice length)
    }
    slotSlice[slot] = k;
    currentSlice = k;
    currentSliceStartNs = k * sliceNs;
    currentSliceEndNs = (k + 1) * sliceNs;
  }

  private void closeSlicesDecidedBy(long now) {
    for (int n = 0; n < 2; n++) {
      int slot = olderOpenSlot();
      if (slot < 0 || slotSlice[slot] == currentSlice) {
        return;
      }
      if ((slotSlice[slot] + 1) * sliceNs + windowAfterNs > now) {
        return;
      }
      closeSlot(slot);
    }
  }

  private int olderOpenSlot() {
    long a = slotSlice[0];
    long b = slotSlice[1];
    if (a == Long.MIN_VALUE) {
      return b == Long.MIN_VALUE ? -1 : 1;
    }
    if (b == Long.MIN_VALUE) {
      return 0;
    }
    return a < b ? 0 : 1;
  }

  private void closeSlot(int slot) {
    long[] real = slotRealNs[slot];
    long realTotal = real[0] + real[1] + real[2];
    for (int d = 0; d < map.detectorCount; d++) {
      int source = map.detectorSource[d];
      long band = slotBand[slot][d];
      boolean bad = isBad(d, band, realTotal);
      fates.sliceJudged(slot, d, !bad);
      if (bad) {
        badSlices[d]++;
        counters.gated[GateReason.DATA_QUALITY.ordinal()][source] += slotHeld[slot][d];
        for (int s = 0; s < 3; s++) {
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
        for (int s = 0; s < 3; s++) {
          gatedNs[d][s] += slotGatedNs[slot][s];
        }
      }
      spectra.clearHeld(slot, d);
      slotBand[slot][d] = 0;
      slotHeld[slot][d] = 0;
    }
    for (int s = 0; s < 3; s++) {
      real[s] = 0;
      slotGatedNs[slot][s] = 0;
    }
    slotSlice[slot] = Long.MIN_VALUE;
  }

  /**
   * A slice is bad when its band count exceeds maxRatio × expected + 5·sqrt(max(expected, 1)), with
   * expected the mean band count of good full slices scaled to this slice's covered time. The floor
   * of 1 under the square root keeps a sparse band (mean ≪ 1) from condemning every slice with a
   * single count. Without a reference (no good full slice yet) a slice is good.
   */
  private boolean isBad(int d, long band, long realNs) {
    if (goodFullSlices[d] == 0 || realNs <= 0) {
      return false;
    }
    double expected = (double) goodBandSum[d] / goodFullSlices[d] * ((double) realNs / sliceNs);
    return band > maxRatio * expected + 5 * Math.sqrt(Math.max(expected, 1.0));
  }

  /** End of run: decide everything and judge the open slices (partial ones scaled by coverage). */
  void finish() {
    flushTally();
    attentionNs = Long.MIN_VALUE;
    while (pSize > 0) {
      decideHead();
    }
    for (int n = 0; n < 2; n++) {
      int slot = olderOpenSlot();
      if (slot >= 0) {
        closeSlot(slot);
      }
    }
  }

  // --- reads -------------------------------------------------------------------------------------

  /** Events held: in the look-ahead ring, or decided as candidates in an unjudged slice. */
  long pending() {
    long n = pSize;
    for (int slot = 0; slot < 2; slot++) {
      for (int d = 0; d < map.detectorCount; d++) {
        n += slotHeld[slot][d];
      }
    }
    return n;
  }

  /** Pending events of one source (HPGe: look-ahead ring + held; NaI: none). */
  long pending(int source) {
    if (!hpge[source]) {
      return 0;
    }
    long n = 0;
    for (int k = 0; k < pSize; k++) {
      if (infoSource(pInfo[(pHead + k) & ringMask]) == source) {
        n++;
      }
    }
    int d = detectorOf[source];
    return n + slotHeld[0][d] + slotHeld[1][d];
  }

  int state() {
    return state;
  }

  long clockNs() {
    return clockNs;
  }

  long muons() {
    return muons;
  }

  long badSlices(int d) {
    return badSlices[d];
  }

  long goodSlices(int d) {
    return goodSlices[d];
  }

  long lookaheadOverflows() {
    return lookaheadOverflows;
  }

  long lateStateChanges() {
    return lateStateChanges;
  }

  // --- checkpoints -----------------------------------------------------------------------------

  private static final int STATE_TAG = StateWriter.tag("DCSN");

  /** Events in the look-ahead ring. */
  int lookaheadSize() {
    return pSize;
  }

  /** Candidate events held in data-quality slices not judged yet. */
  long heldInSlices() {
    return pending() - pSize;
  }

  /**
   * Writes everything that decides the future: the look-ahead ring (its events at their ring
   * positions), veto/muon/margin cursors, the clock and reactor state, both data-quality slots with
   * their held spectra, the slice verdict statistics, gated time, and every spectrum.
   */
  void saveState(StateWriter out) {
    flushTally(); // the slices' real and gated time up to the clock: the state then holds no lazy part
    out.section(STATE_TAG);
    out.putInt(ringMask + 1);
    // The settings the state depends on: a restore under other cuts would mix two analyses.
    out.putLong(windowBeforeNs);
    out.putLong(windowAfterNs);
    out.putLong(muonDeadTimeNs);
    out.putLong(marginNs);
    out.putLong(sliceNs);
    out.putInt(rejectFlags);
    out.putInt(pHead);
    out.putInt(pSize);
    for (int k = 0; k < pSize; k++) {
      int i = (pHead + k) & ringMask;
      out.putLong(pTime[i]);
      long info = pInfo[i];
      out.putInt(infoSource(info));
      out.putInt((int) info & ADC_CODE_MASK);
      out.putInt(infoSlot(info));
      out.putInt(infoCode(info));
      out.putInt(infoState(info));
      out.putBoolean((info & INFO_VETOED) != 0);
    }
    out.putLong(lookaheadOverflows);
    out.putLong(lastVetoHitNs);
    out.putLong(muonUntilNs);
    out.putLong(marginUntilNs);
    out.putLong(gatesUntilNs);
    out.putLong(gatedUntilNs);
    out.putLong(muons);
    out.putLong(clockNs);
    out.putInt(state);
    out.putLong(timelineCursor);
    out.putLong(lateStateChanges);
    out.putLongs(slotSlice);
    for (int slot = 0; slot < 2; slot++) {
      out.putLongs(slotRealNs[slot]);
      out.putLongs(slotGatedNs[slot]);
      out.putLongs(slotBand[slot]);
      out.putLongs(slotHeld[slot]);
    }
    out.putLong(currentSlice);
    out.putLong(currentSliceStartNs);
    out.putLong(currentSliceEndNs);
    out.putLongs(goodSlices);
    out.putLongs(goodFullSlices);
    out.putLongs(goodBandSum);
    out.putLongs(badSlices);
    out.putInt(gatedNs.length);
    for (long[] g : gatedNs) {
      out.putLongs(g);
    }
    spectra.saveState(out);
  }

  void restoreState(StateReader in) {
    in.section(STATE_TAG, "decisions");
    in.expectInt("decisions.lookaheadCapacity", ringMask + 1);
    in.expectLong("veto.windowBeforeNs", windowBeforeNs);
    in.expectLong("veto.windowAfterNs", windowAfterNs);
    in.expectLong("veto.muonDeadTimeNs", muonDeadTimeNs);
    in.expectLong("gates.reactorMarginSeconds (ns)", marginNs);
    in.expectLong("gates.qualitySliceSeconds (ns)", sliceNs);
    in.expectInt("gates.rejectPileup/rejectSaturated (flag bits)", rejectFlags);
    int at = in.offset();
    pHead = in.getInt();
    if (pHead < 0 || pHead > ringMask) {
      throw new StateFormatException("decisions.lookaheadHead=" + pHead + " outside the ring", at);
    }
    pSize = in.getCount("decisions.lookaheadSize", ringMask + 1);
    for (int k = 0; k < pSize; k++) {
      int i = (pHead + k) & ringMask;
      pTime[i] = in.getLong();
      at = in.offset();
      int source = in.getInt();
      if (source < 0 || source >= map.sourceCount || !hpge[source]) {
        throw new StateFormatException("decisions.lookahead source=" + source + " is not an HPGe source", at);
      }
      at = in.offset();
      int adcCode = in.getInt();
      int slot = in.getInt();
      int code = in.getInt();
      int st = in.getInt();
      boolean vetoed = in.getBoolean();
      if ((adcCode & ~ADC_CODE_MASK) != 0 || (slot & ~1) != 0 || code < 0 || code > 0x3F || st < OFF || st > UNKNOWN) {
        throw new StateFormatException("decisions.lookahead entry (adcCode=" + adcCode + " slot=" + slot + " code=" + code
            + " state=" + st + ") out of range", at);
      }
      pInfo[i] = pack(adcCode, source, code, st, slot, vetoed);
    }
    lookaheadOverflows = in.getLong();
    lastVetoHitNs = in.getLong();
    muonUntilNs = in.getLong();
    marginUntilNs = in.getLong();
    gatesUntilNs = in.getLong();
    gatedUntilNs = in.getLong();
    muons = in.getLong();
    clockNs = in.getLong();
    at = in.offset();
    state = in.getInt();
    if (state < OFF || state > UNKNOWN) {
      throw new StateFormatException("decisions.state=" + state + " is not a reactor state index", at);
    }
    timelineCursor = in.getLong();
    lateStateChanges = in.getLong();
    in.getLongs("decisions.slotSlice", slotSlice);
    for (int slot = 0; slot < 2; slot++) {
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
    spectra.restoreState(in);
    tallyNs = clockNs; // saved flushed (saveState)
    attentionNs = Long.MIN_VALUE; // recomputed by the next clock advance
  }
}
