package org.nudaq.monitor.config;

/**
 * Gates applied after the veto: digitizer flags, reactor transitions, data quality, and how the
 * time-ordered merge treats a silent board.
 *
 * @param rejectPileup               drop events the digitizer flags as pile-up
 * @param rejectSaturated            drop HPGe events flagged as saturated
 * @param reactorStateSource         where the reactor state comes from
 * @param reactorMarginSeconds       live time and events within this long after a reactor state
 *                                   change are excluded (power ramps), s
 * @param qualitySliceSeconds        length of the data-quality time slices, s
 * @param qualityBandHighKeV         upper edge of the near-threshold band whose rate is watched, keV
 *                                   (the lower edge is the detector threshold)
 * @param qualityMaxRatio            a slice is bad when its band count exceeds this many times the
 *                                   running mean (plus five Poisson σ)
 * @param mergeIdleTimeoutSeconds    a board silent for this long (in data time, relative to the
 *                                   others) no longer holds back the time-ordered merge, s
 */
public record GateConfig(
    boolean rejectPileup,
    boolean rejectSaturated,
    ReactorStateSource reactorStateSource,
    double reactorMarginSeconds,
    double qualitySliceSeconds,
    double qualityBandHighKeV,
    double qualityMaxRatio,
    double mergeIdleTimeoutSeconds) {

  /** Where the daemon learns the reactor state. */
  public enum ReactorStateSource {
    /** The control API (the shift crew sets it). */
    CONTROL,
    /** The state field of the digitizer status frames (the simulator's true state). */
    DIGITIZER
  }

  static GateConfig bind(ConfigNode n) {
    boolean pileup = n.bool("rejectPileup", true);
    boolean saturated = n.bool("rejectSaturated", true);
    ReactorStateSource source = n.choice("reactorStateSource", ReactorStateSource.class, ReactorStateSource.DIGITIZER);
    double margin = n.number("reactorMarginSeconds", 0);
    n.requireRange("reactorMarginSeconds", margin, 0, 30 * 86_400);
    double slice = n.number("qualitySliceSeconds", 60);
    n.requireRange("qualitySliceSeconds", slice, 1, 86_400);
    double band = n.number("qualityBandHighKeV", 5);
    n.requirePositive("qualityBandHighKeV", band);
    double ratio = n.number("qualityMaxRatio", 5);
    n.requireRange("qualityMaxRatio", ratio, 1.5, 1e6);
    double idle = n.number("mergeIdleTimeoutSeconds", 5);
    n.requireRange("mergeIdleTimeoutSeconds", idle, 0.001, 3600);
    return new GateConfig(pileup, saturated, source, margin, slice, band, ratio, idle);
  }
}
