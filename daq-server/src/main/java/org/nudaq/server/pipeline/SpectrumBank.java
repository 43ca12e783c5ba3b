package org.nudaq.server.pipeline;

import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.EnergySpectrum;
import org.nudaq.monitor.spectrum.SpectrumLabels;

/**
 * The pipeline's spectra in one place, so that {@link DecisionStage} decides and this class only counts:
 * per HPGe detector, reactor state and {@link Stage}; per NaI channel and reactor state; and the after-gates
 * candidates of the two open data-quality slices, held here until their slice is judged (then added to the
 * after-gates spectrum, or dropped). Index order is always slot, detector, state, stage (as everywhere in the
 * pipeline); states are the indices {@link ReactorState#OFF_INDEX} and {@link ReactorState#ON_INDEX} (the per-event
 * fill arrays also take {@link ReactorState#UNKNOWN_INDEX}, whose spectra are discarded). Live time is not here: the pipeline books it in
 * integer ns and attaches it when it publishes.
 *
 * <p>Pipeline thread only. The fill methods are on the per-event path and allocate nothing.
 */
final class SpectrumBank {
  /** The open data-quality slices (slice k in slot k & 1). */
  private static final int SLOTS = 2;
  private static final int STATES = ReactorState.WITH_SPECTRA;
  private final int detectorCount;
  private final int naiCount;
  /** [detector][state][stage]. */
  private final EnergySpectrum[][][] hpge;
  /** [nai][state]. */
  private final EnergySpectrum[][] nai;
  /** After-gates candidates of an open slice: [slot][detector][state]. */
  private final EnergySpectrum[][][] held;
  /**
   * The spectrum every accepted event of a source enters first (HPGe "all" or NaI), by (source << 2 | state),
   * for every state index: the UNKNOWN state's is a discard spectrum that nothing reads (see {@link #discard}).
   */
  private final EnergySpectrum[] first;
  /** The after-veto spectrum of a detector, by (detector << 2 | state, UNKNOWN discarded): one load per event instead of three. */
  private final EnergySpectrum[] afterVeto;
  /** {@link #held}, by ((slot · detectorCount + detector) << 1 | state), for the same reason. */
  private final EnergySpectrum[] heldFlat;

  /**
   * @param binning    the HPGe spectra's bins (analysis.spectrumLowKeV..spectrumHighKeV)
   * @param naiBinning the NaI spectra's bins
   */
  SpectrumBank(ChannelMap map, Binning binning, Binning naiBinning) {
    detectorCount = map.detectorCount;
    naiCount = map.naiCount;
    hpge = new EnergySpectrum[detectorCount][STATES][Stage.values().length];
    held = new EnergySpectrum[SLOTS][detectorCount][STATES];
    for (int d = 0; d < detectorCount; d++) {
      String name = map.detectors[d].name();
      double mass = map.detectors[d].massKg();
      for (int s = 0; s < STATES; s++) {
        String st = stateLabel(s);
        for (Stage stage : Stage.values()) {
          SpectrumLabels labels = new SpectrumLabels(name + "-" + st + "-" + stage.label(), name, st, stage.label());
          hpge[d][s][stage.ordinal()] = new EnergySpectrum(labels, binning, mass);
        }
        SpectrumLabels gatesLabels = hpge[d][s][Stage.AFTER_GATES.ordinal()].labels();
        for (int slot = 0; slot < SLOTS; slot++) {
          held[slot][d][s] = new EnergySpectrum(gatesLabels, binning, mass);
        }
      }
    }
    nai = new EnergySpectrum[naiCount][STATES];
    for (int n = 0; n < naiCount; n++) {
      String name = "nai-" + map.sourceName(map.naiSource[n]).replace('/', '-');
      for (int s = 0; s < STATES; s++) {
        String st = stateLabel(s);
        // The NaI has no germanium mass; 1 kg makes counts/keV/kg/day read as counts/keV/day.
        nai[n][s] = new EnergySpectrum(new SpectrumLabels(name + "-" + st + "-all", name, st, "all"), naiBinning, 1.0);
      }
    }
    // One load per event instead of three; (source << 2 | state) takes the three state indices.
    first = new EnergySpectrum[map.sourceCount << 2];
    for (int src = 0; src < map.sourceCount; src++) {
      for (int st = 0; st < STATES; st++) {
        first[(src << 2) | st] = map.sourceHpge[src] ? hpge[map.sourceDetector[src]][st][Stage.ALL.ordinal()]
            : nai[map.sourceDetector[src]][st];
      }
      first[(src << 2) | ReactorState.UNKNOWN_INDEX] = discard(map.sourceHpge[src] ? binning : naiBinning);
    }
    afterVeto = afterVeto(hpge, binning);
    heldFlat = new EnergySpectrum[SLOTS * detectorCount * STATES];
    for (int slot = 0; slot < SLOTS; slot++) {
      for (int d = 0; d < detectorCount; d++) {
        for (int st = 0; st < STATES; st++) {
          heldFlat[((slot * detectorCount + d) << 1) | st] = held[slot][d][st];
        }
      }
    }
  }

  private static EnergySpectrum[] afterVeto(EnergySpectrum[][][] hpge, Binning binning) {
    EnergySpectrum[] out = new EnergySpectrum[hpge.length << 2];
    for (int d = 0; d < hpge.length; d++) {
      for (int st = 0; st < STATES; st++) {
        out[(d << 2) | st] = hpge[d][st][Stage.AFTER_VETO.ordinal()];
      }
      out[(d << 2) | ReactorState.UNKNOWN_INDEX] = discard(binning);
    }
    return out;
  }

  /**
   * Where the fills of events in the UNKNOWN reactor state go: nowhere anyone reads (no spectrum has that
   * state). Why it exists (issue 19, JIT): the per-event path fills without asking for the state, where an
   * {@code if (state != UNKNOWN)} per fill was a branch that the JIT's profile rarely saw taken (the state
   * is UNKNOWN only at a run's start and around gaps), so C2 compiled it as a trap and threw away the
   * compiled decision path the first time the state was UNKNOWN after warm-up.
   */
  private static EnergySpectrum discard(Binning binning) {
    return new EnergySpectrum(new SpectrumLabels("discarded-unknown-state", "none", "all", "discarded"), binning, 1.0);
  }

  private static String stateLabel(int state) {
    return state == ReactorState.ON_INDEX ? "on" : "off";
  }

  /**
   * Counts an accepted event of a source in its first spectrum: HPGe "all", or its NaI spectrum (in the
   * UNKNOWN state index: discarded, {@link #discard}).
   */
  void fillFirst(int source, int state, int bin) {
    first[(source << 2) | state].fillBin(bin);
  }

  /**
   * The spectrum {@link #fillFirst} fills for a source in a state index (for a loop over one source's
   * events; the UNKNOWN state's discards).
   */
  EnergySpectrum first(int source, int state) {
    return first[(source << 2) | state];
  }

  /** Counts an HPGe event that survived the veto (in the UNKNOWN state index: discarded). */
  void fillAfterVeto(int detector, int state, int bin) {
    afterVeto[(detector << 2) | state].fillBin(bin);
  }

  /** Holds an after-gates candidate in the open slice {@code slot} until that slice is judged. */
  void hold(int slot, int detector, int state, int bin) {
    heldFlat[((slot * detectorCount + detector) << 1) | state].fillBin(bin);
  }

  /** A good slice: its held candidates go into the after-gates spectra. */
  void acceptHeld(int slot, int detector) {
    for (int s = 0; s < STATES; s++) {
      if (held[slot][detector][s].entryCount() > 0) {
        hpge[detector][s][Stage.AFTER_GATES.ordinal()].merge(held[slot][detector][s]);
      }
    }
  }

  /** Empties a slice's held candidates (after it was judged, good or bad). */
  void clearHeld(int slot, int detector) {
    for (int s = 0; s < STATES; s++) {
      held[slot][detector][s].reset();
    }
  }

  /**
   * Issue 19 ({@link SegmentJoin}): adds {@code truth}'s held candidates of a slot and detector minus
   * {@code start}'s into this bank's after-gates spectra ({@code intoHeld} false: the slice was judged
   * good) or into its own held ones (true: the slice is still open).
   */
  void addHeldDifference(int slot, int detector, SpectrumBank truth, SpectrumBank start, boolean intoHeld) {
    for (int s = 0; s < STATES; s++) {
      EnergySpectrum into = intoHeld ? held[slot][detector][s] : hpge[detector][s][Stage.AFTER_GATES.ordinal()];
      EnergySpectrum a = truth.held[slot][detector][s];
      EnergySpectrum b = start.held[slot][detector][s];
      long[] counts = new long[into.binning().binCount()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = into.count(i) + a.count(i) - b.count(i);
      }
      into.restoreCounts(java.nio.LongBuffer.wrap(counts), into.inRangeCount() + a.inRangeCount() - b.inRangeCount(),
          into.underflowCount() + a.underflowCount() - b.underflowCount(), into.overflowCount() + a.overflowCount() - b.overflowCount(),
          into.invalidCount() + a.invalidCount() - b.invalidCount());
    }
  }

  /** An HPGe spectrum (without live time). */
  EnergySpectrum hpge(int detector, int state, Stage stage) {
    return hpge[detector][state][stage.ordinal()];
  }

  /** A NaI spectrum (without live time). */
  EnergySpectrum nai(int naiIndex, int state) {
    return nai[naiIndex][state];
  }

  // --- checkpoints -----------------------------------------------------------------------------

  /** Writes every spectrum: the held ones by slot, the HPGe ones, the NaI ones (counts and counters). */
  void saveState(StateWriter out) {
    out.putInt(detectorCount);
    for (int slot = 0; slot < SLOTS; slot++) {
      for (int d = 0; d < detectorCount; d++) {
        for (int s = 0; s < STATES; s++) {
          out.putPendingSpectrum(held[slot][d][s]);
        }
      }
    }
    for (int d = 0; d < detectorCount; d++) {
      for (int s = 0; s < STATES; s++) {
        for (EnergySpectrum spectrum : hpge[d][s]) {
          out.putSumSpectrum(spectrum);
        }
      }
    }
    out.putInt(naiCount);
    for (int n = 0; n < naiCount; n++) {
      for (int s = 0; s < STATES; s++) {
        out.putSumSpectrum(nai[n][s]);
      }
    }
  }

  /** Restores what {@link #saveState} wrote (same configuration required). */
  void restoreState(StateReader in) {
    in.expectInt("decisions.detectors", detectorCount);
    for (int slot = 0; slot < SLOTS; slot++) {
      for (int d = 0; d < detectorCount; d++) {
        for (int s = 0; s < STATES; s++) {
          in.getSpectrum(held[slot][d][s]);
        }
      }
    }
    for (int d = 0; d < detectorCount; d++) {
      for (int s = 0; s < STATES; s++) {
        for (EnergySpectrum spectrum : hpge[d][s]) {
          in.getSpectrum(spectrum);
        }
      }
    }
    in.expectInt("decisions.naiChannels", naiCount);
    for (int n = 0; n < naiCount; n++) {
      for (int s = 0; s < STATES; s++) {
        in.getSpectrum(nai[n][s]);
      }
    }
  }
}
