package org.nudaq.monitor.physics;

/**
 * Fits of the antineutrino spectrum per fission, S_i(E) = exp(Σ_k a_k E^k) in ν̄/(MeV·fission), E in
 * MeV. Coefficients from physics.md. The fits hold above ~1.8–2 MeV; below that the spectrum is
 * modelled by {@link ReactorAntineutrinoSpectrum} (see {@link ReactorSpectrumModel}).
 */
public enum SpectrumParametrisation {
  /** Huber (2011) 5th order for U235, Pu239, Pu241 and Mueller (2011) for U238. */
  HUBER_MUELLER(
      new double[] {4.367, -4.577, 2.100, -0.5294, 0.06186, -0.002777},
      new double[] {0.4833, 0.1927, -0.1283, -0.006762, 0.002233, -0.0001536},
      new double[] {4.757, -5.392, 2.563, -0.6596, 0.07820, -0.003536},
      new double[] {2.990, -2.882, 1.278, -0.3343, 0.03905, -0.001754}),
  /** Vogel &amp; Engel (1989) 2nd order. */
  VOGEL_ENGEL(
      new double[] {0.870, -0.160, -0.0910},
      new double[] {0.976, -0.162, -0.0790},
      new double[] {0.896, -0.239, -0.0981},
      new double[] {0.793, -0.080, -0.1085});

  private final double[] u235;
  private final double[] u238;
  private final double[] pu239;
  private final double[] pu241;

  SpectrumParametrisation(double[] u235, double[] u238, double[] pu239, double[] pu241) {
    this.u235 = u235;
    this.u238 = u238;
    this.pu239 = pu239;
    this.pu241 = pu241;
  }

  /** Polynomial coefficients a_0..a_n of the exponent for the isotope (a copy). */
  public double[] coefficients(FissionIsotope isotope) {
    return raw(isotope).clone();
  }

  /** S_i(E) in ν̄/(MeV·fission) for E in MeV, the bare fit (no low-energy model). */
  public double neutrinosPerMeVPerFission(FissionIsotope isotope, double energyMeV) {
    double[] a = raw(isotope);
    double exponent = a[a.length - 1];
    for (int k = a.length - 2; k >= 0; k--) {
      exponent = exponent * energyMeV + a[k];
    }
    return Math.exp(exponent);
  }

  private double[] raw(FissionIsotope isotope) {
    return switch (isotope) {
      case U235 -> u235;
      case U238 -> u238;
      case PU239 -> pu239;
      case PU241 -> pu241;
    };
  }
}
