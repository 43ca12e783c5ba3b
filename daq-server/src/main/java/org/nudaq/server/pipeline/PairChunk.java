package org.nudaq.server.pipeline;

import org.nudaq.monitor.spectrum.EnergySpectrum;

/**
 * Why this exists (issue 19): with one HPGe and one NaI channel, an NaI event's only effects on the
 * decisions are its spectrum fill and, as a veto hit, its time, as long as the reactor state, the gates and
 * the data-quality slice do not change. So a chunk of both channels' merged events (chosen by
 * {@link DecisionStage#onMergedPair}: up to a time bound inside which none of those change) is decided with
 * two cursors instead of event by event in the merged order:
 * <ol>
 *   <li>the NaI events in one loop: spectrum fills (the in-range total added once), accepted counts, the
 *       veto hits' times into a scratch array; the loop stops before a muon (or a hit that finds the array
 *       full), and the chunk then ends before it in the merged order;</li>
 *   <li>the look-ahead's waiting events are marked from the first hit's window on (any later hit's window
 *       is covered by the first's), as the first hit would have marked them;</li>
 *   <li>the HPGe events in one loop: a hit cursor finds whether a hit lies in the event's veto window, and
 *       the event's entry goes into the look-ahead with its final veto mark, after the decisions that fall
 *       due before its time (as the clock passing it would have made them: the same look-ahead slots);</li>
 *   <li>the last hit becomes the gates' last veto hit.</li>
 * </ol>
 * Same results as the run-by-run path: a decision only counts (order-free), and every hit that could veto
 * an event is in the chunk or still comes while the event waits ({@code PairDecisionsTest}).
 *
 * <p>Pipeline thread only; allocation-free after construction.
 */
final class PairChunk {
  private final DecisionStage stage;
  private final AdcTable adcTable;
  private final SpectrumBank spectra;
  private final RawAdcSpectra rawSpectra;
  private final Gates gates;
  private final QualitySlices slices;
  private final VetoLookahead lookahead;
  private final PipelineCounters counters;
  private final long windowAfterNs;
  /**
   * The veto hits' times of a chunk's NaI events, in order (at most {@code length - 1}: the NaI loop stores
   * every event's time in the next slot and counts it if it is a hit; the HPGe loop puts a sentinel after
   * the last).
   */
  private final long[] hitNs = new long[4097];
  private int hitCount;

  PairChunk(DecisionStage stage, AdcTable adcTable, SpectrumBank spectra, RawAdcSpectra rawSpectra, Gates gates,
      QualitySlices slices, VetoLookahead lookahead, PipelineCounters counters, long windowAfterNs) {
    this.stage = stage;
    this.adcTable = adcTable;
    this.spectra = spectra;
    this.rawSpectra = rawSpectra;
    this.gates = gates;
    this.slices = slices;
    this.lookahead = lookahead;
    this.counters = counters;
    this.windowAfterNs = windowAfterNs;
  }

  /**
   * Decides the chunk of HPGe source {@code h}'s events {@code [fromH, toH)} and NaI source {@code n}'s
   * {@code [fromN, toN)} (ring slots of the merge's arrays, each in time order) that are at most
   * {@code cutNs}, or before the first NaI muon in the merged order, in reactor state index {@code state}.
   * The look-ahead has room for every HPGe event of the chunk. The caller moves the clock afterwards.
   *
   * @param hpgeFirst whether the HPGe source wins ties (the lower source index)
   * @return where it stopped, {@code (HPGe end << 32) | NaI end}
   */
  long take(int h, int n, boolean hpgeFirst, int state, long[] timeNs, long[] payload, int fromH, int toH,
      int fromN, int toN, long cutNs) {
    long hpgeLastNs = cutNs;
    int j = nai(n, state, timeNs, payload, fromN, toN, cutNs);
    if (j < toN && timeNs[j] <= cutNs) {
      long t = timeNs[j]; // not taken (a muon, or the hits are full): HPGe events before it in the merged order are
      hpgeLastNs = hpgeFirst ? t : t - 1;
    }
    int hits = hitCount;
    if (hits > 0) {
      lookahead.vetoFrom(hitNs[0] - windowAfterNs);
    }
    int i = hpge(h, state, timeNs, payload, fromH, toH, hpgeLastNs);
    if (hits > 0) {
      gates.onVetoHit(hitNs[hits - 1]);
    }
    return (long) i << 32 | j;
  }

  /**
   * Step 1 of {@link #take}: NaI events from {@code from} while at most {@code cutNs}, up to the
   * first muon or the first hit that finds {@link #hitNs} full; fills their spectrum in {@code state},
   * counts them accepted, and leaves the hits' times in {@link #hitNs} ({@link #hitCount} of them).
   *
   * @return the index of the first event not taken
   */
  private int nai(int source, int state, long[] timeNs, long[] payload, int from, int to, long cutNs) {
    int[] codes = adcTable.codes(source);
    EnergySpectrum spectrum = spectra.first(source, state);
    int binCount = spectrum.binning().binCount();
    long[] hits = hitNs;
    int maxHits = hits.length - 1;
    int nh = 0;
    long inRange = 0;
    int j = from;
    for (long t; j < to && (t = timeNs[j]) <= cutNs; j++) {
      int adc = (int) payload[j];
      int adcCode = adc >= 0 && adc < codes.length ? codes[adc] : adcTable.code(source, adc);
      int veto = adcCode & AdcTable.VETO;
      if ((adcCode & AdcTable.MUON) != 0 || (veto != 0 && nh == maxHits)) {
        break;
      }
      int bin = AdcTable.bin(adcCode);
      if (bin >= 0 && bin < binCount) {
        spectrum.countInRangeBin(bin);
        inRange++;
      } else {
        spectrum.fillBin(bin);
      }
      hits[nh] = t;
      nh += veto != 0 ? 1 : 0;
    }
    if (inRange != 0) {
      spectrum.addInRangeCount(inRange);
    }
    counters.accepted[source] += j - from;
    hitCount = nh;
    return j;
  }

  /**
   * Step 3 of {@link #take}: HPGe events from {@code from} while at most {@code lastNs}, each as
   * {@code DecisionStage.onHpgeEvent} would handle it in the chunk. Its veto mark: a hit in {@code [t - windowBefore,
   * t + windowAfter]}, the last hit before the chunk (the gates') or one of the chunk's; a cursor moves to
   * the first chunk hit at or after {@code t - windowBefore} (a sentinel ends the hits), and the event is
   * vetoed if that hit is at most {@code t + windowAfter}. The gates' rule for the hits before an event
   * (the last one at or after {@code t - windowBefore}) and the look-ahead's for those after (any at most
   * {@code t + windowAfter}) say the same for time-ordered hits, ties included.
   *
   * @return the index of the first event not taken
   */
  private int hpge(int source, int state, long[] timeNs, long[] payload, int from, int to, long lastNs) {
    long[] hits = hitNs;
    hits[hitCount] = Long.MAX_VALUE; // the sentinel (hitNs has a slot more than the hits it holds)
    long before = gates.lastVetoHitNs();
    long windowBeforeNs = gates.windowBeforeNs;
    long windowAfterNs = this.windowAfterNs;
    int[] codes = adcTable.codes(source);
    EnergySpectrum first = spectra.first(source, state);
    int binCount = first.binning().binCount();
    long inRange = 0;
    // The look-ahead ring in locals, written back once (VetoLookahead: why); the same slots as removeHead and add.
    VetoLookahead ring = lookahead;
    long[] ringNs = ring.timesBySlot();
    long[] ringInfo = ring.infoBySlot();
    int mask = ring.mask();
    int head = ring.head();
    int size = ring.size();
    int c = 0;
    int i = from;
    for (long t; i < to && (t = timeNs[i]) <= lastNs; i++) {
      // The decisions due before t (as the clock passing them would have made them), in a loop of this method's
      // own: a shared loop that is compiled by itself first is too big to inline here (C2: "already compiled
      // into a big method").
      while (size > 0 && ringNs[head] + windowAfterNs < t) {
        long info = ringInfo[head];
        head = (head + 1) & mask;
        size--;
        stage.decide(info);
      }
      long lowNs = t - windowBeforeNs;
      while (hits[c] < lowNs) {
        c++;
      }
      boolean vetoed = before >= lowNs | hits[c] <= t + windowAfterNs;
      long p = payload[i];
      int adc = (int) p;
      int adcCode = adc >= 0 && adc < codes.length ? codes[adc] : adcTable.code(source, adc);
      rawSpectra.count(source, adc);
      int bin = AdcTable.bin(adcCode);
      if (bin >= 0 && bin < binCount) {
        first.countInRangeBin(bin); // the in-range total once, after the loop
        inRange++;
      } else {
        first.fillBin(bin);
      }
      int cutCode = gates.cutCode(t, (int) (p >>> 32), state);
      head = VetoLookahead.addHead(head, size);
      int at = (head + size) & mask;
      ringNs[at] = t;
      ringInfo[at] = VetoLookahead.pack(adcCode, source, cutCode, state, slices.slotOf(t), vetoed);
      size++;
    }
    ring.setHeadAndSize(head, size);
    if (inRange != 0) {
      first.addInRangeCount(inRange);
    }
    return i;
  }

}
