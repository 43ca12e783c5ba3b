package org.nudaq.monitor.physics;

/**
 * Antineutrinos a reactor keeps emitting after a shutdown, as a fraction of its full-power emission
 * rate (ν̄ per second), for choosing the reactor-transition margin (docs/analysis.md, "After
 * shutdown"). Any ν̄ above ~30 keV can make a keV recoil, so the count rate of ν̄ — not their energy
 * — is what matters for the weak and magnetic-moment terms.
 *
 * <p>The model, per fission at full power (physics.md): n = 7.2 ν̄, of which
 * <ul>
 *   <li><b>neutron capture on U-238</b>: 1.2 ν̄ = 0.6 captures × 2 beta decays, U-239 (T½ 23.45 min)
 *       then Np-239 (T½ 2.356 d) [V]. After a long run both are in equilibrium (activity 0.6 per
 *       fission each); after the shutdown the Bateman solution with those initial conditions:
 *       A_U(t) = 0.6·e^(−λ_U t), A_Np(t) = 0.6·[e^(−λ_Np t) + λ_Np/(λ_Np − λ_U)·(e^(−λ_U t) − e^(−λ_Np t))];</li>
 *   <li><b>fission products</b>: 6.0 ν̄ [V: ~6 in all] with the Way–Wigner activity law
 *       a(τ) ∝ τ^(−1.2) of the products of one fission at age τ (Way &amp; Wigner, Phys. Rev. 73 (1948)
 *       1318) [A]. After operating for T_op at constant power and a time t since the shutdown the
 *       rate is ∝ t^(−0.2) − (t + T_op)^(−0.2); we normalise it to the equilibrium rate with the law
 *       integrated from τ₀ = 1 s, the normalisation that makes the Way–Wigner decay-heat formula
 *       P/P₀ = 0.0622·[t^(−0.2) − (t + T_op)^(−0.2)] give the ~6% decay heat of a shut-down reactor [A].
 *       The law is a fit good to a factor ~2 between 10 s and ~100 days; beyond that the long-lived
 *       pairs (Ce-144/Pr-144, Ru-106/Rh-106, Sr-90/Y-90, physics.md) take over.</li>
 * </ul>
 *
 * <p>Immutable; thread-safe. Times in days.
 *
 * @param operatingDays days at full power before the shutdown (e.g. 330)
 */
public record ResidualAntineutrinos(double operatingDays) {
  /** ν̄ per fission from the capture chain U-239 → Np-239 → Pu-239, physics.md. */
  public static final double CAPTURE_NEUTRINOS_PER_FISSION = 1.2;
  /** ν̄ per fission from the fission products, physics.md. */
  public static final double FISSION_PRODUCT_NEUTRINOS_PER_FISSION = 6.0;
  /** U-239 half-life, days (23.45 min). */
  public static final double U239_HALF_LIFE_DAYS = 23.45 / 1440.0;
  /** Np-239 half-life, days. */
  public static final double NP239_HALF_LIFE_DAYS = 2.356;
  /** Exponent of the Way–Wigner activity law, a(τ) ∝ τ^(−1.2). */
  public static final double WAY_WIGNER_EXPONENT = 1.2;
  /** Lower end of the Way–Wigner integral for the equilibrium rate, days (1 s). */
  public static final double WAY_WIGNER_START_DAYS = 1.0 / 86_400;

  private static final double SECONDS_PER_DAY = 86_400;

  public ResidualAntineutrinos {
    if (!(operatingDays > 0) || Double.isInfinite(operatingDays)) {
      throw new IllegalArgumentException("operatingDays must be finite and > 0, got " + operatingDays);
    }
  }

  /** Capture-chain ν̄ per fission-at-full-power at {@code days} after the shutdown (1.2 at 0). */
  public double captureNeutrinos(double days) {
    double lu = Math.log(2) / U239_HALF_LIFE_DAYS;
    double ln = Math.log(2) / NP239_HALF_LIFE_DAYS;
    double perCapture = CAPTURE_NEUTRINOS_PER_FISSION / 2;
    double u = perCapture * Math.exp(-lu * days);
    double np = perCapture * (Math.exp(-ln * days) + ln / (ln - lu) * (Math.exp(-lu * days) - Math.exp(-ln * days)));
    return u + np;
  }

  /** Fission-product ν̄ per fission-at-full-power at {@code days} after the shutdown (6.0 at 0). */
  public double fissionProductNeutrinos(double days) {
    double p = WAY_WIGNER_EXPONENT - 1;
    double t = Math.max(days, WAY_WIGNER_START_DAYS) * SECONDS_PER_DAY;
    double t0 = WAY_WIGNER_START_DAYS * SECONDS_PER_DAY;
    double op = operatingDays * SECONDS_PER_DAY;
    double now = Math.pow(t, -p) - Math.pow(t + op, -p);
    double equilibrium = Math.pow(t0, -p) - Math.pow(t0 + op, -p);
    return FISSION_PRODUCT_NEUTRINOS_PER_FISSION * now / equilibrium;
  }

  /** The residual ν̄ rate at {@code days} after the shutdown over the full-power rate (1 at 0). */
  public double fraction(double days) {
    if (!(days >= 0)) {
      throw new IllegalArgumentException("days since the shutdown must be >= 0, got " + days);
    }
    return (captureNeutrinos(days) + fissionProductNeutrinos(days))
        / (CAPTURE_NEUTRINOS_PER_FISSION + FISSION_PRODUCT_NEUTRINOS_PER_FISSION);
  }

  /**
   * The mean {@link #fraction} over OFF data taken from {@code fromDays} to {@code toDays} after the
   * shutdown (uniform live time): what an OFF spectrum with that margin contains of the full-power
   * ν̄ signal. Simpson's rule on a logarithmic grid (the integrand falls steeply near the start).
   */
  public double meanFraction(double fromDays, double toDays) {
    if (!(fromDays >= 0) || !(toDays > fromDays)) {
      throw new IllegalArgumentException("need 0 <= fromDays < toDays, got " + fromDays + " and " + toDays);
    }
    // Substitute u = ln(t + c), c = 1e-3 d, so that dt = (t + c) du and the steep start is resolved.
    double c = 1e-3;
    double a = Math.log(fromDays + c);
    double b = Math.log(toDays + c);
    int n = 2000;
    double h = (b - a) / n;
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      double t = Math.exp(a + i * h) - c;
      double f = fraction(Math.max(0, t)) * (t + c);
      sum += f * (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2));
    }
    return sum * h / 3 / (toDays - fromDays);
  }
}
