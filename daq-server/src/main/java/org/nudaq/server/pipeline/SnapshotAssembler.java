package org.nudaq.server.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.spectrum.EnergySpectrum;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;

/**
 * Builds the published {@link PipelineSnapshot} from the pipeline's parts: every spectrum copied with
 * its live time, each detector's live times before and after the gates, and each channel's accounting.
 * A detector's live time after the gates is its board live time (real − dead, {@link LiveTimeAccounting})
 * minus the time its gates excluded ({@link DecisionStage#gatedNs}), in integer ns.
 *
 * <p>Pipeline thread only; {@link #assemble} allocates (call it at the publication rate, not per event).
 */
final class SnapshotAssembler {
  private final ChannelMap map;
  private final PipelineCounters counters;
  private final LiveTimeAccounting live;
  private final DecisionStage decisions;
  private final TimeOrderedMerge merge;

  SnapshotAssembler(ChannelMap map, PipelineCounters counters, LiveTimeAccounting live, DecisionStage decisions,
      TimeOrderedMerge merge) {
    this.map = map;
    this.counters = counters;
    this.live = live;
    this.decisions = decisions;
    this.merge = merge;
  }

  /** Live time of a detector in a reactor state index before any gate, ns. */
  long liveBeforeNs(int d, int st) {
    return live.liveNs(map.detectorSource[d], st);
  }

  /** Live time × thermal power fraction of a detector in a reactor state index, before gates, ns. */
  double livePowerBeforeNs(int d, int st) {
    return live.livePowerNs(map.detectorSource[d], st);
  }

  /** Live time of a detector in a reactor state index after every gate, ns. */
  long liveAfterNs(int d, int st) {
    return Math.max(0, liveBeforeNs(d, st) - decisions.gatedNs(d, st));
  }

  /** The snapshot at {@code takenAt} with these totals and the reactor state at the clock. */
  PipelineSnapshot assemble(Instant takenAt, PipelineSnapshot.Totals totals, ReactorState reactorState) {
    List<PipelineSnapshot.DetectorSnapshot> dets = new ArrayList<>();
    for (int d = 0; d < map.detectorCount; d++) {
      List<SpectrumSnapshot> spectra = new ArrayList<>();
      for (Stage stage : Stage.values()) {
        for (int st = 0; st < ReactorState.WITH_SPECTRA; st++) {
          long liveNs = stage == Stage.AFTER_GATES ? liveAfterNs(d, st) : liveBeforeNs(d, st);
          spectra.add(withLiveTime(decisions.spectra.hpge(d, st, stage), liveNs, takenAt));
        }
      }
      dets.add(new PipelineSnapshot.DetectorSnapshot(map.detectors[d].name(),
          liveBeforeNs(d, ReactorState.ON_INDEX) * 1e-9, liveBeforeNs(d, ReactorState.OFF_INDEX) * 1e-9,
          liveAfterNs(d, ReactorState.ON_INDEX) * 1e-9, liveAfterNs(d, ReactorState.OFF_INDEX) * 1e-9,
          liveBeforeNs(d, ReactorState.UNKNOWN_INDEX) * 1e-9, decisions.goodSlices(d), decisions.badSlices(d), spectra,
          livePowerBeforeNs(d, ReactorState.ON_INDEX) * 1e-9, live.realNs(map.sourceBoard[map.detectorSource[d]]) * 1e-9));
    }
    List<SpectrumSnapshot> nai = new ArrayList<>();
    for (int n = 0; n < map.naiCount; n++) {
      for (int st = 0; st < ReactorState.WITH_SPECTRA; st++) {
        nai.add(withLiveTime(decisions.spectra.nai(n, st), live.liveNs(map.naiSource[n], st), takenAt));
      }
    }
    List<PipelineSnapshot.ChannelSnapshot> channels = new ArrayList<>();
    for (int s = 0; s < map.sourceCount; s++) {
      Map<RejectReason, Long> rej = new EnumMap<>(RejectReason.class);
      for (RejectReason r : RejectReason.values()) {
        rej.put(r, counters.rejected[r.ordinal()][s]);
      }
      Map<GateReason, Long> gat = new EnumMap<>(GateReason.class);
      for (GateReason g : GateReason.values()) {
        gat.put(g, counters.gated[g.ordinal()][s]);
      }
      channels.add(new PipelineSnapshot.ChannelSnapshot(map.boardIds[map.sourceBoard[s]], map.sourceChannel[s],
          map.sourceHpge[s], map.sourceConfig[s].detector(), counters.received[s], counters.accepted[s],
          counters.vetoed[s], rej, gat, merge.buffered(s) + decisions.pending(s), counters.lostTriggersFlagged[s],
          counters.lostTriggersReported[s], counters.boardAcceptedTriggers[s]));
    }
    return new PipelineSnapshot(takenAt, decisions.clockNs(), reactorState, dets, nai, channels, totals);
  }

  private static SpectrumSnapshot withLiveTime(EnergySpectrum spectrum, long liveNs, Instant takenAt) {
    return spectrum.snapshot(liveNs * 1e-9, takenAt);
  }
}
