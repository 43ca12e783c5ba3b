package org.nudaq.monitor.config;

/**
 * Choices of the physics model that are not properties of the reactor or the detector.
 *
 * @param sin2ThetaW weak mixing angle at low momentum transfer (0.2386 by default; 0.23116 and
 *                   0.231 are also in use)
 * @param binding    how electron binding in Ge is treated
 */
public record PhysicsConfig(double sin2ThetaW, Binding binding) {

  public static final double DEFAULT_SIN2_THETA_W = 0.2386;

  /** Electron binding treatment for the recoil spectrum. */
  public enum Binding {
    /** All 32 Ge electrons scatter as free electrons at rest. */
    FREE,
    /** Only electrons with binding energy below the recoil energy T contribute (Kouzakov et al. 2011). */
    STEPPING
  }

  static PhysicsConfig bind(ConfigNode n) {
    double s = n.number("sin2ThetaW", DEFAULT_SIN2_THETA_W);
    n.requireRange("sin2ThetaW", s, 0.2, 0.26);
    Binding b = n.choice("binding", Binding.class, Binding.STEPPING);
    return new PhysicsConfig(s, b);
  }
}
