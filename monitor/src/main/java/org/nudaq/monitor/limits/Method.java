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
  PROFILE_LIKELIHOOD
}
