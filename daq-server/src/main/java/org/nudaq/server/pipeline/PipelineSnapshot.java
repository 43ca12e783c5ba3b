package org.nudaq.server.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;

/**
 * An immutable picture of the pipeline, published by the pipeline thread through
 * {@link EventPipeline#publish(Instant)} and read by any thread (HTTP, metrics, limits).
 *
 * <p>Spectrum live times are set: ALL and AFTER_VETO spectra carry the live time before gates,
 * AFTER_GATES spectra the live time after all gates, so counts/(keV·kg·day) is directly available.
 * While a run goes on, the AFTER_GATES spectra hold only judged data-quality slices (up to one slice
 * behind the live time); after {@link EventPipeline#finish()} the two agree exactly.
 *
 * @param takenAt      when it was taken (pipeline/data time during replays)
 * @param dataTimeNs   the pipeline's data-time clock, ns since the boards' run start
 * @param reactorState reactor state at {@code dataTimeNs}
 * @param detectors    per HPGe detector, in configuration order
 * @param naiSpectra   per NaI channel: reactor OFF then ON, in configuration order
 * @param channels     accounting per configured (board, channel)
 * @param totals       accounting over all channels (including events of unknown channels)
 */
public record PipelineSnapshot(
    Instant takenAt,
    long dataTimeNs,
    ReactorState reactorState,
    List<DetectorSnapshot> detectors,
    List<SpectrumSnapshot> naiSpectra,
    List<ChannelSnapshot> channels,
    Totals totals) {

  public PipelineSnapshot {
    detectors = List.copyOf(detectors);
    naiSpectra = List.copyOf(naiSpectra);
    channels = List.copyOf(channels);
  }

  /**
   * The running limits of this snapshot: every detector's ON and OFF spectra after all gates, with
   * their own live times and the mean thermal power over the ON live time ({@link
   * ExperimentLimits#update(List, List, double[], Instant)}). Null while some detector has no live time
   * in either state. Called by the limits thread and by replays; {@code limits} is single-writer.
   */
  public ExperimentResult updateLimits(ExperimentLimits limits) {
    List<SpectrumSnapshot> on = new ArrayList<>(detectors.size());
    List<SpectrumSnapshot> off = new ArrayList<>(detectors.size());
    double[] power = new double[detectors.size()];
    for (DetectorSnapshot d : detectors) {
      power[on.size()] = d.meanPowerFractionOn();
      on.add(d.spectrum(Stage.AFTER_GATES, ReactorState.ON));
      off.add(d.spectrum(Stage.AFTER_GATES, ReactorState.OFF));
    }
    return limits.update(on, off, power, takenAt);
  }

  /** Every HPGe detector's spectra, detector by detector in configuration order (the files of a spectra folder). */
  public List<SpectrumSnapshot> detectorSpectra() {
    List<SpectrumSnapshot> all = new ArrayList<>();
    for (DetectorSnapshot d : detectors) {
      all.addAll(d.spectra());
    }
    return all;
  }

  /**
   * One HPGe detector.
   *
   * @param detector                       detector name
   * @param liveTimeBeforeGatesOnSeconds   reactor-ON live time from the board counters (real − dead), s
   * @param liveTimeBeforeGatesOffSeconds  reactor-OFF live time from the board counters, s
   * @param liveTimeOnSeconds              reactor-ON live time after muon, transition and data-quality gates, s
   * @param liveTimeOffSeconds             reactor-OFF live time after all gates, s
   * @param liveTimeUnknownSeconds         live time with the reactor state unknown (never analysed), s
   * @param goodSlices                     data-quality slices judged good
   * @param badSlices                      data-quality slices judged bad (excluded)
   * @param spectra                        [stage][state] flattened: index {@code stage.ordinal() * 2 + state.ordinal()}
   * @param powerWeightedLiveTimeBeforeGatesOnSeconds  reactor-ON live time before gates × the thermal power
   *                                       as a fraction of nominal in each interval, s (the signal exposure)
   * @param realTimeSeconds                real time of the detector's board up to its last status frame, s:
   *                                       the live time before gates (ON + OFF + unknown) plus the dead time
   */
  public record DetectorSnapshot(
      String detector,
      double liveTimeBeforeGatesOnSeconds,
      double liveTimeBeforeGatesOffSeconds,
      double liveTimeOnSeconds,
      double liveTimeOffSeconds,
      double liveTimeUnknownSeconds,
      long goodSlices,
      long badSlices,
      List<SpectrumSnapshot> spectra,
      double powerWeightedLiveTimeBeforeGatesOnSeconds,
      double realTimeSeconds) {

    public DetectorSnapshot {
      spectra = List.copyOf(spectra);
    }

    /** A detector without its real time (NaN): the form before the dead time was published. */
    public DetectorSnapshot(String detector, double liveTimeBeforeGatesOnSeconds, double liveTimeBeforeGatesOffSeconds,
        double liveTimeOnSeconds, double liveTimeOffSeconds, double liveTimeUnknownSeconds, long goodSlices,
        long badSlices, List<SpectrumSnapshot> spectra, double powerWeightedLiveTimeBeforeGatesOnSeconds) {
      this(detector, liveTimeBeforeGatesOnSeconds, liveTimeBeforeGatesOffSeconds, liveTimeOnSeconds, liveTimeOffSeconds,
          liveTimeUnknownSeconds, goodSlices, badSlices, spectra, powerWeightedLiveTimeBeforeGatesOnSeconds, Double.NaN);
    }

    /** Dead time of the detector's channel up to its board's last status frame (real − live before gates), s. */
    public double deadTimeSeconds() {
      return realTimeSeconds - (liveTimeBeforeGatesOnSeconds + liveTimeBeforeGatesOffSeconds + liveTimeUnknownSeconds);
    }

    /**
     * Mean thermal power (fraction of nominal) over the reactor-ON live time, 1 with no ON live time.
     * The gates are assumed to cut ON time independently of the power, so the same mean applies to the
     * ON live time after gates (the signal exposure is {@code meanPowerFractionOn() × liveTimeOnSeconds}).
     */
    public double meanPowerFractionOn() {
      return liveTimeBeforeGatesOnSeconds > 0 ? powerWeightedLiveTimeBeforeGatesOnSeconds / liveTimeBeforeGatesOnSeconds : 1.0;
    }

    /** The spectrum of a stage and reactor state (ON or OFF). */
    public SpectrumSnapshot spectrum(Stage stage, ReactorState state) {
      if (state == ReactorState.UNKNOWN) {
        throw new IllegalArgumentException("snapshot: spectra exist for reactor ON and OFF only, got state=" + state + " detector=" + detector);
      }
      return spectra.get(stage.ordinal() * 2 + state.ordinal());
    }
  }

  /**
   * Accounting of one configured channel: received = accepted + vetoed + Σ rejected + Σ gated + pending.
   *
   * @param boardId               board id
   * @param channel               channel number
   * @param hpge                  true for an HPGe channel, false for NaI
   * @param detector              detector name (HPGe) or NaI segment label
   * @param received              events received
   * @param accepted              HPGe: in the analysis spectrum; NaI: used for the veto and NaI spectra
   * @param vetoed                HPGe events removed by the anticoincidence
   * @param rejected              by reason
   * @param gated                 by reason
   * @param pending               buffered, not yet decided
   * @param lostTriggersFlagged   sum of lostTriggersBefore of events flagged LOST_TRIGGERS_BEFORE
   * @param lostTriggersReported  the board's cumulative lost-trigger counter (latest status)
   * @param boardAcceptedTriggers the board's cumulative accepted-trigger counter (latest status)
   */
  public record ChannelSnapshot(
      int boardId,
      int channel,
      boolean hpge,
      String detector,
      long received,
      long accepted,
      long vetoed,
      Map<RejectReason, Long> rejected,
      Map<GateReason, Long> gated,
      long pending,
      long lostTriggersFlagged,
      long lostTriggersReported,
      long boardAcceptedTriggers) {

    public ChannelSnapshot {
      rejected = Map.copyOf(rejected);
      gated = Map.copyOf(gated);
    }
  }

  /**
   * Totals over all channels; {@code received} includes events of unknown channels (rejected as
   * UNKNOWN_CHANNEL).
   *
   * @param received         events received
   * @param accepted         accepted
   * @param vetoed           vetoed
   * @param rejected         by reason
   * @param gated            by reason
   * @param pending          buffered, not yet decided
   * @param lostFrames       frames the link layer reported lost (sequence gaps)
   * @param forcedEmits      events emitted early because a merge buffer was full
   * @param muons            NaI hits above the muon threshold
   * @param statusFrames     status frames booked
   */
  public record Totals(
      long received,
      long accepted,
      long vetoed,
      Map<RejectReason, Long> rejected,
      Map<GateReason, Long> gated,
      long pending,
      long lostFrames,
      long forcedEmits,
      long muons,
      long statusFrames) {

    public Totals {
      rejected = Map.copyOf(rejected);
      gated = Map.copyOf(gated);
    }
  }
}
