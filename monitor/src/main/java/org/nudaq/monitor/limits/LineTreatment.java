package org.nudaq.monitor.limits;

/**
 * How the analysis keeps decaying X-ray lines (cosmogenic K- and L-shell lines of the Ge crystal)
 * out of the neutrino signal. ON and OFF periods sample a decaying line at different ages, so ON −
 * OFF over a line is not zero even without neutrinos; every {@link LimitResult} names the
 * treatment in force.
 */
public enum LineTreatment {
  /** No line treatment: every window bin is used (tests, or a line-free detector). */
  NONE,
  /**
   * The bins within ±k σ of the resolution around each configured line are excluded from the
   * likelihood and from the expected sensitivity (their signal template is set to zero).
   */
  MASK
}
