package org.nudaq.server.pipeline;

import org.nudaq.monitor.config.AnalysisConfig;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.VetoConfig;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.EnergySpectrum;

/**
 * Everything after the merge, in data time, and the order in which it happens; each part is its own
 * class: calibration ({@link AdcTable}), the NaI look-ahead ({@link VetoLookahead}), the cuts and gates
 * ({@link Gates}), the clock with the reactor state and the lazily booked time ({@link TimeTally}), the
 * data-quality slices ({@link QualitySlices}) and the spectra ({@link SpectrumBank}).
 *
 * <p>Order of work for each point in time {@code now} (an event time or a watermark):
 * <ol>
 *   <li>decide the HPGe events whose veto window has closed ({@code t + windowAfter < now});</li>
 *   <li>judge the data-quality slices all of whose events are decided;</li>
 *   <li>advance the clock to {@code now}: apply reactor-state changes, and book real and gated time
 *       per state into the open slice;</li>
 *   <li>handle the event.</li>
 * </ol>
 * Steps 1-3 are needed only from {@link #attentionNs} on; before it an event only moves the clock. From
 * there until {@link #quietNs} only step 1 has work (no slice end, state change or slow-control boundary
 * is crossed), so the clock still moves without booking time. With one HPGe and one NaI source the merge
 * may hand over both at once ({@link #onMergedPair}): a chunk inside which only step 1 has work is then
 * decided with two cursors ({@link PairChunk}), with the same results.
 *
 * <p>Reactor states are indices ({@link ReactorState#OFF_INDEX} ...) on this path; arrays everywhere
 * are indexed slot, detector, state, stage, in that order.
 *
 * <p>For the JIT (issue 19): what is rare stays out of the per-event methods, so that C2 compiles them once,
 * small, and keeps them. Crossing the quiet time is its own method ({@link #crossQuiet}: a rarely taken call
 * site, which C2 leaves a call), also taken every {@link #CROSS_EVERY}-th time through {@link #advanceSlowly} so
 * that the profile sees its branch taken (session 9); the UNKNOWN state needs no branch (its fills go to discard spectra,
 * {@link SpectrumBank}); time booking is branch-free ({@link TimeTally#flush}). A branch the profile never saw
 * taken is compiled as an uncommon trap, and the first time it is taken C2 throws the method away with
 * everything inlined into it ({@code -XX:+LogCompilation}: {@code unstable_if}); before these changes
 * {@code onNaiRun} was compiled three times per replay so (docs/benchmarks.md, session 8).
 *
 * <p>Single-threaded (the pipeline thread); allocation-free per event.
 *
 * <p>Size: the order of work above on one clock and one look-ahead, written out for single events, merged runs
 * and NaI runs (the per-event path, kept flat for the JIT); the parts themselves are the classes named above.
 */
final class DecisionStage implements MergedStream {
  private static final GateReason[] GATE_REASONS = GateReason.values();
  private static final RejectReason[] REJECT_REASONS = RejectReason.values();
  private static final int STATE_TAG = StateWriter.tag("DCSN");

  private final PipelineCounters counters;
  /** Export hooks; {@link FateTracker#NONE} (empty, inlined away) without an export. */
  private final FateTracker fates;
  private final AdcTable adcTable;
  /** Issue 17: every merged event's raw ADC value, for the online calibration (empty when it is off). */
  private final RawAdcSpectra rawSpectra;
  private final boolean[] hpge;
  private final int[] detectorOf;
  private final long windowAfterNs;

  /** Every spectrum, and the candidates held in the open data-quality slices. */
  final SpectrumBank spectra;
  private final VetoLookahead lookahead;
  private final Gates gates;
  private final QualitySlices slices;
  private final TimeTally tally;

  /**
   * The earliest time at which advancing the clock needs more than moving it: a look-ahead decision
   * falls due, the slices need attention ({@link QualitySlices#quietUntil()}), or a reactor-state change
   * applies. Earlier than necessary is always safe (the slow path then does what the fast one would);
   * Long.MIN_VALUE forces the slow path.
   */
  private long attentionNs = Long.MIN_VALUE;
  /**
   * {@link #attentionNs} without the look-ahead: before it, advancing the clock touches no slice
   * boundary and applies no state change or slow-control boundary, so a due look-ahead decision is
   * all there is to do (the medium path of {@link #advanceSlowly}). Long.MIN_VALUE when unknown.
   */
  private long quietNs = Long.MIN_VALUE;
  /** {@link #advanceSlowly} goes through {@link #crossQuiet} at least once in this many times (a power of two). */
  private static final int CROSS_EVERY = 64;
  /** Times in {@link #advanceSlowly}'s medium path, modulo {@link #CROSS_EVERY} (scheduling only: not saved). */
  private int slowCalls;
  /** The two-cursor chunk of {@link #onMergedPair}. */
  private final PairChunk chunk;
  /** Events taken by {@link #onMergedPair} (tests: the two-cursor path is the one taken). */
  private long pairedEvents;

  DecisionStage(ChannelMap map, PipelineCounters counters, ReactorTimeline timeline, AnalysisConfig analysis,
      VetoConfig veto, GateConfig gateConfig, int lookaheadCapacity, FateTracker fates, RawAdcSpectra rawSpectra) {
    this.fates = fates;
    this.rawSpectra = rawSpectra;
    this.counters = counters;
    hpge = map.sourceHpge;
    detectorOf = map.sourceDetector;
    windowAfterNs = veto.windowAfterNs();
    double muonThresholdKeV = veto.muonThresholdKeV();
    int nd = map.detectorCount;
    double[] thresholdKeV = new double[nd];
    Binning binning = Binning.covering(analysis.spectrumLowKeV(), analysis.spectrumHighKeV(), analysis.binWidthKeV());
    for (int d = 0; d < nd; d++) {
      thresholdKeV[d] = map.detectors[d].thresholdKeV();
    }
    // NaI spectra: 20 keV bins up to twice the muon threshold (muons above it overflow).
    Binning naiBinning = Binning.covering(0, 2 * muonThresholdKeV, 2 * muonThresholdKeV / 1000);
    spectra = new SpectrumBank(map, binning, naiBinning);
    adcTable = new AdcTable(map, binning, naiBinning, thresholdKeV, gateConfig.qualityBandHighKeV(), veto.naiThresholdKeV(),
        muonThresholdKeV);
    lookahead = new VetoLookahead(lookaheadCapacity, map.sourceCount);
    gates = new Gates(veto, gateConfig);
    slices = new QualitySlices(map, counters, spectra, fates, gateConfig, windowAfterNs);
    tally = new TimeTally(timeline, gates, slices);
    chunk = new PairChunk(this, adcTable, spectra, rawSpectra, gates, slices, lookahead, counters, windowAfterNs);
  }

  // --- the merged stream ---------------------------------------------------------------------

  @Override
  public void onWatermark(long timeNs) {
    advanceTo(timeNs);
  }

  @Override
  public void onMergedEvent(int source, long t, int adc, int flags) {
    if (hpge[source]) {
      onHpgeEvent(source, t, adc, flags);
    } else {
      onNaiEvent(source, t, adc, flags);
    }
  }

  /**
   * A run of one source's events: the HPGe/NaI choice is made once per run, the run's end is found in
   * the loop that handles its events, and the per-event method is small enough for the JIT to inline
   * into the loop (one method compiled for the whole run, where a call per event from the merge was
   * not inlined: the profile of issue 19).
   */
  @Override
  public int onMergedRun(int source, long[] timeNs, long[] payload, int from, int to, long lastNs) {
    int i = from;
    if (hpge[source]) {
      // Two branches (the range's end, an event after lastNs), as before issue 19's session 9: in JMH the run path
      // sees HPGe runs of one event that end at the range's end only, so any other shape of run is a first-time
      // branch (a trap) whatever the loop's form; a one-test form (NoBranch) trapped later in the fork (13-22 s,
      // in the measurement, where this one traps in the warm-up), so this one stays (docs/benchmarks.md, session 9).
      for (long t; i < to && (t = timeNs[i]) <= lastNs; i++) {
        long p = payload[i];
        onHpgeEvent(source, t, (int) p, (int) (p >>> 32));
      }
    } else {
      i = onNaiRun(source, timeNs, payload, from, to, lastNs);
      counters.accepted[source] += i - from; // nothing reads it before the run ends
    }
    return i;
  }

  /**
   * An NaI run of {@link #onMergedRun}. Its events before {@link #attentionNs} that are no muons are
   * handled in a loop that keeps what they change in locals and applies it once, before any event that
   * looks at it: the clock (the latest time), the last veto hit, and the look-ahead's veto marks (one mark
   * from the earliest hit's window on: every waiting event a later hit's window covers, the earliest's
   * covers too). Such an event only moves the clock, fills its spectrum in the state at the clock and may
   * veto; the state and the spectrum stay those of the run's start until an event needs attention (the
   * spectrum's in-range total is added once per stretch, {@link EnergySpectrum#countInRangeBin}). The
   * ADC codes are looked up once per run (no calibration changes inside a run). An event at or after
   * {@link #attentionNs}, or a muon, goes through {@link #acceptNai} alone.
   */
  private int onNaiRun(int source, long[] timeNs, long[] payload, int from, int to, long lastNs) {
    int[] codes = adcTable.codes(source);
    int i = from;
    // One exit, the stretch's test below, taken by every run: a `while (i < to)` exit was taken only by a run whose
    // last event needs attention or is a muon, first seen seconds into a 1e8-event replay, and C2's code of this
    // loop then trapped and was compiled again (issue 19, session 10: jitcpu; -XX:+LogCompilation, unstable_if).
    while (true) {
      int state = tally.state();
      EnergySpectrum spectrum = spectra.first(source, state); // UNKNOWN: a discard spectrum (SpectrumBank)
      // The stretch ends at the run's end or at the attention time: one bound (attentionNs > Long.MIN_VALUE here,
      // or nothing is before it).
      long untilNs = attentionNs == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(lastNs, attentionNs - 1);
      // Events of in-range bins are counted in the spectrum's in-range total once per stretch.
      int binCount = spectrum.binning().binCount();
      long inRange = 0;
      long clock = Long.MIN_VALUE;
      long lastHitNs = Long.MIN_VALUE;
      long earliestHitNs = Long.MAX_VALUE;
      long t = 0;
      for (; i < to && (t = timeNs[i]) <= untilNs; i++) {
        long p = payload[i];
        int adc = (int) p;
        int adcCode = adc >= 0 && adc < codes.length ? codes[adc] : adcTable.code(source, adc);
        if ((adcCode & AdcTable.MUON) != 0) {
          break;
        }
        clock = Math.max(clock, t);
        fates.naiAccepted(source, t, adc, (int) (p >>> 32), state);
        int bin = AdcTable.bin(adcCode);
        if (bin >= 0 && bin < binCount) {
          spectrum.countInRangeBin(bin);
          inRange++;
        } else {
          spectrum.fillBin(bin);
        }
        if ((adcCode & AdcTable.VETO) != 0) {
          lastHitNs = t;
          earliestHitNs = Math.min(earliestHitNs, t);
        }
      }
      if (inRange != 0) {
        spectrum.addInRangeCount(inRange);
      }
      tally.moveTo(clock);
      if (earliestHitNs != Long.MAX_VALUE) {
        gates.onVetoHit(lastHitNs);
        lookahead.vetoFrom(earliestHitNs - windowAfterNs); // HPGe events up to windowAfter before the hits
      }
      if (i == to || t > lastNs) {
        break;
      }
      // Needs attention, or a muon: by itself.
      long p = payload[i];
      int adc = (int) p;
      acceptNai(source, t, adc, (int) (p >>> 32), adc >= 0 && adc < codes.length ? codes[adc] : adcTable.code(source, adc));
      i++;
    }
    return i;
  }

  /** An NaI event of {@link #onMergedEvent}, which counts it accepted. */
  private void onNaiEvent(int source, long t, int adc, int flags) {
    acceptNai(source, t, adc, flags, adcTable.code(source, adc));
    counters.accepted[source]++;
  }

  /** An NaI event (always accepted: the caller counts it), with its ADC code. */
  private void acceptNai(int source, long t, int adc, int flags, int adcCode) {
    advanceTo(t);
    // No rawSpectra.count: the raw spectra are of HPGe channels only (an NaI row is empty).
    int state = tally.state();
    fates.naiAccepted(source, t, adc, flags, state);
    spectra.fillFirst(source, state, AdcTable.bin(adcCode)); // UNKNOWN: discarded, without a branch
    if ((adcCode & AdcTable.VETO) != 0) {
      gates.onVetoHit(t);
      lookahead.vetoFrom(t - windowAfterNs); // HPGe events up to windowAfter before this hit
    }
    if ((adcCode & AdcTable.MUON) != 0) {
      onMuon(t);
    }
  }

  /** A muon (rare): the muon gate moves on, after the time before it is booked. */
  private void onMuon(long t) {
    long until = gates.onMuon(t);
    if (until > gates.gatedUntilNs()) {
      tally.flush(); // the time before the muon is booked with the gated time as it was
      gates.gateUntil(until);
    }
  }

  private void onHpgeEvent(int source, long t, int adc, int flags) {
    advanceTo(t);
    int adcCode = adcTable.code(source, adc);
    rawSpectra.count(source, adc);
    int state = tally.state();
    fates.hpgeQueued(source, t, adc, flags, state);
    spectra.fillFirst(source, state, AdcTable.bin(adcCode)); // UNKNOWN: discarded, without a branch
    int cutCode = gates.cutCode(t, flags, state);
    if (lookahead.isFull()) {
      // Look-ahead ring full (an HPGe burst): decide the oldest now, with the NaI seen so far.
      lookahead.countOverflow();
      decideHead();
    }
    long info = VetoLookahead.pack(adcCode, source, cutCode, state, slices.slotOf(t), gates.vetoedByEarlierHit(t));
    lookahead.add(t, info);
    // When the event is the new head (the ring was empty), it is decided once the clock passes t + windowAfter;
    // otherwise attentionNs is already at most the head's due time. Without a branch on "was empty" (issue 19:
    // in some profiles (JMH) the ring was always empty here, and the other side became a trap).
    attentionNs = Math.min(attentionNs, lookahead.headTimeNs() + windowAfterNs + 1);
  }

  /**
   * Issue 19: one HPGe and one NaI source's events at once, decided with two cursors instead of merged
   * event by event ({@link PairChunk}), a chunk at a time: every event at most a time bound (before
   * {@code lastNs}, before {@link #quietNs}, and no more HPGe events than the look-ahead has room for)
   * and, when an NaI muon comes first, everything before the muon in the merged order; then the muon by itself
   * (as {@link #onMergedRun} would take it: the next event in the merged order) and the next chunk, until a
   * chunk reaches its time bound. Inside a chunk the
   * reactor state, the gates and the data-quality slice stay as they are (no slice end, state change,
   * slow-control boundary or muon), so only look-ahead decisions fall due; after it the clock moves to the
   * chunk's last time, deciding what falls due by then. Same results, in the same look-ahead slots, as one
   * {@link #onMergedRun} per run of the merged order. Takes nothing (the merge then sends runs) with an
   * export's fate tracking (which records the order of events), or while {@link #quietNs} is unknown. In the
   * UNKNOWN state it decides as in the others (its fills go to {@link SpectrumBank}'s discard spectra, its
   * HPGe events are gated REACTOR_UNKNOWN by {@link Gates#cutCode}), as the run-by-run path does: refusing
   * there was a branch rarely taken, which C2 compiled as a trap (issue 19).
   */
  @Override
  public long onMergedPair(int a, int b, long[] timeNs, long[] payload, int fromA, int toA, int fromB, int toB,
      long lastNs) {
    if (hpge[a] == hpge[b] || fates != FateTracker.NONE || quietNs == Long.MIN_VALUE) {
      return (long) fromA << 32 | fromB;
    }
    boolean hpgeFirst = hpge[a]; // the HPGe source wins ties
    int h = hpgeFirst ? a : b;
    int fromH = hpgeFirst ? fromA : fromB;
    int toH = hpgeFirst ? toA : toB;
    int n = hpgeFirst ? b : a;
    int fromN = hpgeFirst ? fromB : fromA;
    int toN = hpgeFirst ? toB : toA;
    int i = fromH;
    int j = fromN;
    // A chunk, then (when it stopped before an NaI muon) the muon by itself and the next chunk: what the merge would
    // send next anyway (the chunk took every HPGe event before the muon in the merged order), without a return to
    // the merge and a detour through the run path per muon (about 8 per 1000 events in PipelineBenchmark).
    while (true) {
      int state = tally.state();
      long cutNs = Math.min(lastNs, quietNs - 1);
      int room = lookahead.capacity() - lookahead.size();
      if (toH - i > room) {
        cutNs = Math.min(cutNs, timeNs[i + room] - 1);
      }
      long ends = chunk.take(h, n, hpgeFirst, state, timeNs, payload, i, toH, j, toN, cutNs);
      int endH = (int) (ends >>> 32);
      int endN = (int) ends;
      // The clock, and the decisions due by it.
      if (endH > i || endN > j) {
        long clock = Math.max(endH > i ? timeNs[endH - 1] : Long.MIN_VALUE, endN > j ? timeNs[endN - 1] : Long.MIN_VALUE);
        decideDueBefore(clock);
        tally.moveTo(clock);
        attentionNs = lookaheadAttention(quietNs);
      }
      pairedEvents += (endH - i) + (endN - j);
      i = endH;
      j = endN;
      if (j == toN || timeNs[j] > cutNs) {
        break; // the chunk reached its bound
      }
      long p = payload[j];
      int adc = (int) p;
      int adcCode = adcTable.code(n, adc);
      if ((adcCode & AdcTable.MUON) == 0) {
        break; // stopped before a hit that found the chunk's hit store full (rare): the merge goes on
      }
      acceptNai(n, timeNs[j], adc, (int) (p >>> 32), adcCode);
      counters.accepted[n]++;
      pairedEvents++;
      j++;
      if (quietNs == Long.MIN_VALUE) {
        break;
      }
    }
    return hpgeFirst ? (long) i << 32 | j : (long) j << 32 | i;
  }

  // --- time --------------------------------------------------------------------------------------

  private void advanceTo(long now) {
    if (now >= attentionNs) {
      advanceSlowly(now);
    } else {
      tally.moveTo(now); // booked lazily
    }
  }

  /**
   * The medium path (look-ahead decisions due, every few events) in line; crossing {@link #quietNs} (a slice
   * end, a state change, a slow-control boundary: seconds of data apart) out of line in {@link #crossQuiet}.
   */
  private void advanceSlowly(long now) {
    if (now <= tally.clockNs()) {
      return;
    }
    // Across the quiet time, and also every CROSS_EVERY-th time here, through crossQuiet: one test, taken often
    // enough for the JIT's profile to see it (issue 19: "now >= quietNs" alone, seconds of data apart, was a
    // branch the profile never saw taken, compiled as an uncommon trap that threw away onNaiRun with this
    // inlined the first time the quiet time was crossed). Crossing early is the medium path below with the
    // time booked now instead of lazily: before quietNs no slice is due for judging, no state change or
    // slow-control boundary applies, and booking is additive (TimeTally.flush, QualitySlices.book), so the
    // results are the same (PipelineDigest, PairDecisionsTest: the whole state bit for bit).
    slowCalls = (slowCalls + 1) & (CROSS_EVERY - 1);
    if (((1 ^ NoBranch.lessThan(now, quietNs)) | NoBranch.below(slowCalls, 1)) != 0) {
      crossQuiet(now);
      return;
    }
    // Only look-ahead decisions are due: they book no time, so the clock moves as on the fast path.
    tally.moveTo(now);
    decideDueBefore(now);
    attentionNs = lookaheadAttention(quietNs);
  }

  /**
   * {@link #advanceSlowly} across {@link #quietNs}: books the time, judges slices, applies state changes
   * and slow-control boundaries. Out of line on purpose (issue 19, JIT): it is rare, so C2 (which inlines
   * a rarely taken call only up to 35 bytecodes) leaves it a call, and the per-event methods that inline
   * {@link #advanceSlowly} stay small (quick to compile) and do not take in this code's rarely seen
   * branches (whose first use would deopt them).
   */
  private void crossQuiet(long now) {
    tally.flush();
    decideDueBefore(now);
    slices.judgeDecidedBy(now);
    tally.advance(now);
    // Before this, advancing the clock touches no slice boundary, decides nothing and applies no state change.
    quietNs = Math.min(Math.min(slices.quietUntil(), tally.nextStateChangeNs()), gates.nextSlowControlBoundaryNs());
    attentionNs = lookaheadAttention(quietNs);
  }

  /** {@code quiet}, or earlier if the look-ahead's head falls due before it. */
  private long lookaheadAttention(long quiet) {
    return lookahead.isEmpty() ? quiet : Math.min(quiet, lookahead.headTimeNs() + windowAfterNs + 1);
  }

  /** Decides the look-ahead's events whose veto window closed before {@code now}. */
  private void decideDueBefore(long now) {
    while (!lookahead.isEmpty() && lookahead.headTimeNs() + windowAfterNs < now) {
      decideHead();
    }
  }

  /** Uses {@code gate} for the slow-control rules (set once, before any input). */
  void useSlowControl(SlowControlGate gate) {
    gates.useSlowControl(gate);
  }

  /** A reactor-state change was appended to the timeline: the next clock advance looks at it. */
  void onTimelineAppended() {
    attentionNs = Long.MIN_VALUE;
    quietNs = Long.MIN_VALUE;
  }

  // --- decisions ---------------------------------------------------------------------------------

  /** Decides the look-ahead's oldest event (not empty): vetoed, cut, or held in its slice. */
  void decideHead() {
    decide(lookahead.removeHead());
  }

  /**
   * Decides a look-ahead entry just removed from the ring ({@link VetoLookahead#pack}): vetoed, cut, or held in
   * its slice. {@link PairChunk} calls it with the ring in its locals.
   */
  void decide(long info) {
    int source = VetoLookahead.source(info);
    if (VetoLookahead.vetoed(info)) {
      counters.vetoed[source]++;
      fates.headDecided(EventFate.VETOED);
      return;
    }
    int d = detectorOf[source];
    int state = VetoLookahead.stateIndex(info);
    int adcCode = VetoLookahead.adcCode(info);
    int bin = AdcTable.bin(adcCode);
    spectra.fillAfterVeto(d, state, bin); // UNKNOWN: discarded, without a branch
    int slot = VetoLookahead.slot(info);
    if ((adcCode & AdcTable.BAND) != 0) {
      slices.countBand(slot, d);
    }
    int cutCode = VetoLookahead.cutCode(info);
    if (cutCode == Gates.CANDIDATE) {
      spectra.hold(slot, d, state, bin);
      slices.countHeld(slot, d);
      fates.headHeld(slot, d);
    } else {
      countCut(source, cutCode);
    }
  }

  /** A decided event a cut applies to (rare: kept out of {@link #decideHead} so that it stays small). */
  private void countCut(int source, int cutCode) {
    if (Gates.isGate(cutCode)) {
      counters.gated[cutCode - Gates.GATE_BASE][source]++;
      fates.headDecided(EventFate.of(GATE_REASONS[cutCode - Gates.GATE_BASE]));
    } else {
      counters.rejected[cutCode - Gates.REJECT_BASE][source]++;
      fates.headDecided(EventFate.of(REJECT_REASONS[cutCode - Gates.REJECT_BASE]));
    }
  }

  /** End of run: decide everything and judge the open slices (partial ones scaled by coverage). */
  void finish() {
    tally.flush();
    attentionNs = Long.MIN_VALUE;
    quietNs = Long.MIN_VALUE;
    while (!lookahead.isEmpty()) {
      decideHead();
    }
    slices.judgeAll();
  }

  // --- reads -------------------------------------------------------------------------------------

  /** Events held: in the look-ahead ring, or decided as candidates in an unjudged slice. */
  long pending() {
    return lookahead.size() + slices.held();
  }

  /** Pending events of one source (HPGe: look-ahead ring + held; NaI: none). */
  long pending(int source) {
    if (!hpge[source]) {
      return 0;
    }
    return lookahead.size(source) + slices.held(detectorOf[source]);
  }

  /** The reactor state index at the clock. */
  int state() {
    return tally.state();
  }

  long clockNs() {
    return tally.clockNs();
  }

  long muons() {
    return gates.muons();
  }

  long badSlices(int d) {
    return slices.badSlices(d);
  }

  long goodSlices(int d) {
    return slices.goodSlices(d);
  }

  /** Gated real time of a detector in a reactor state index, ns. */
  long gatedNs(int d, int state) {
    return slices.gatedNs(d, state);
  }

  long lookaheadOverflows() {
    return lookahead.overflows();
  }

  /** Events decided with two cursors ({@link #onMergedPair}); tests. */
  long pairedEvents() {
    return pairedEvents;
  }

  long lateStateChanges() {
    return tally.lateStateChanges();
  }

  /** Issue 17: a source's energy calibration from the next event on (between events). */
  void recalibrate(int source, double[] coefficients) {
    adcTable.recalibrate(source, coefficients);
  }

  /** A source's calibration coefficients in force. */
  double[] coefficients(int source) {
    return adcTable.coefficients(source);
  }

  /** Events in the look-ahead ring. */
  int lookaheadSize() {
    return lookahead.size();
  }

  /** Candidate events held in data-quality slices not judged yet. */
  long heldInSlices() {
    return slices.held();
  }

  // --- checkpoints -----------------------------------------------------------------------------

  /**
   * Writes everything that decides the future, after the settings it depends on (a restore under other
   * cuts would mix two analyses): the look-ahead, the gates' cursors, the clock and reactor state, both
   * data-quality slots with the verdict statistics and gated time, and every spectrum.
   */
  void saveState(StateWriter out) {
    tally.flush(); // the slices' real and gated time up to the clock: the state then holds no lazy part
    out.section(STATE_TAG);
    out.putInt(lookahead.capacity());
    out.putLong(gates.windowBeforeNs);
    out.putLong(windowAfterNs);
    out.putLong(gates.muonDeadTimeNs);
    out.putLong(gates.marginNs);
    out.putLong(slices.sliceNs);
    out.putInt(gates.rejectFlags);
    lookahead.saveState(out);
    gates.saveState(out);
    tally.saveState(out);
    slices.saveState(out);
    spectra.saveState(out);
  }

  void restoreState(StateReader in) {
    in.section(STATE_TAG, "decisions");
    in.expectInt("decisions.lookaheadCapacity", lookahead.capacity());
    in.expectLong("veto.windowBeforeNs", gates.windowBeforeNs);
    in.expectLong("veto.windowAfterNs", windowAfterNs);
    in.expectLong("veto.muonDeadTimeNs", gates.muonDeadTimeNs);
    in.expectLong("gates.reactorMarginSeconds (ns)", gates.marginNs);
    in.expectLong("gates.qualitySliceSeconds (ns)", slices.sliceNs);
    in.expectInt("gates.rejectPileup/rejectSaturated (flag bits)", gates.rejectFlags);
    lookahead.restoreState(in, hpge);
    gates.restoreState(in);
    tally.restoreState(in);
    slices.restoreState(in);
    spectra.restoreState(in);
    attentionNs = Long.MIN_VALUE; // recomputed by the next clock advance
    quietNs = Long.MIN_VALUE;
  }

  // --- segmented replay (issue 19, SegmentJoin) ---------------------------------------------------

  void logVerdicts(SegmentLog log) {
    slices.logVerdicts(log);
  }

  String joinOpenSlices(DecisionStage truth, DecisionStage start, SegmentLog log) {
    attentionNs = Long.MIN_VALUE; // the slices change under the derived bounds: recomputed by the next clock advance
    quietNs = Long.MIN_VALUE;
    return slices.joinOpenSlices(truth.slices, start.slices, log);
  }

  long timelineCursor() {
    return tally.timelineCursor();
  }
}
