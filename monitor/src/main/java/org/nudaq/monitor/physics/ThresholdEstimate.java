package org.nudaq.monitor.physics;

/**
 * The order-of-magnitude millicharge bound of the seed paper's eq. 6: demanding that the charge term
 * not exceed the magnetic-moment term at the threshold T gives |qν| &lt; sqrt(T/(2 m_e))·(μν/μB) e0.
 * Stateless; thread-safe.
 */
public final class ThresholdEstimate {

  private ThresholdEstimate() {}

  /**
   * @param thresholdKeV recoil threshold T in keV
   * @param muInMuB magnetic-moment limit μν in units of μB
   * @return the bound on |qν| in units of e0
   */
  public static double millichargeBoundE0(double thresholdKeV, double muInMuB) {
    InvalidPhysicsParameterException.requirePositive("thresholdKeV", thresholdKeV);
    InvalidPhysicsParameterException.requireNonNegative("muInMuB", muInMuB);
    return Math.sqrt(thresholdKeV / (2.0 * PhysicalConstants.ELECTRON_MASS_KEV)) * muInMuB;
  }
}
