package org.nudaq.monitor.limits;

/**
 * The statistical construction that produced a limit or a sensitivity. Every {@link LimitResult}
 * and {@link Sensitivity} names its method, so a reader of the running limits always knows whether
 * the Gaussian approximation or the Poisson likelihood was in force.
 */
public enum Method {
  /**
   * Feldman–Cousins unified interval for a Gaussian measurement of a mean bounded at zero (the
   * default when every bin in the window holds enough counts).
   */
  FELDMAN_COUSINS,
  /** Bayesian upper limit for a Gaussian measurement with a flat prior on X ≥ 0. */
  BAYESIAN_FLAT,
  /**
   * Binned ON/OFF Poisson likelihood with the background of each bin profiled out; the interval
   * uses the bounded likelihood ratio with Feldman–Cousins critical values (see
   * {@link OnOffProfileLikelihood}). Used while bins hold few counts.
   */
  PROFILE_LIKELIHOOD,
  /**
   * The few-count construction: adjacent window bins merged until each merged bin expects at
   * least {@link LimitSettings#minCountsPerMergedBin} counts ON and OFF (from the OFF counts, so the
   * binning does not depend on the signal), then the profile likelihood of
   * {@link #PROFILE_LIKELIHOOD} on the merged bins (see {@link AdaptiveRebinning}). Used
   * automatically while some bin of the window holds fewer than
   * {@link LimitSettings#minCountsPerBinForGaussian} counts.
   */
  REBINNED_PROFILE_LIKELIHOOD
}
