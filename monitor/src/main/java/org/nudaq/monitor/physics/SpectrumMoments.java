package org.nudaq.monitor.physics;

import java.util.Arrays;
import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.integration.IterativeLegendreGaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * Tail moments of the flux density, M_k(E_min) = ∫_{E_min}^{E_max} dΦ/dE · E^{-k} dE for k = 0, 1,
 * 2 (units ν̄/(cm²·s)·keV^{-k}, energies in keV). Every flux-averaged cross section of {@link
 * ElectronScatteringCrossSections} is a linear combination of these three at E_min(T), so the rate at
 * any recoil needs one short integral instead of a full one.
 *
 * <p>Built once: the tail integrals are precomputed at log-spaced nodes (40 per decade from 0.5 keV,
 * plus the spectrum's kinks) with Hipparchus' iterative Gauss–Legendre integrator; a query adds the
 * piece from E_min to the next node with an 8-point Gauss–Legendre rule. Immutable; thread-safe.
 */
final class SpectrumMoments {

  /** Lowest neutrino energy for which moments can be asked (E_min of a 1 eV recoil is 0.506 keV). */
  static final double LOWEST_ENERGY_KEV = 0.5;

  private static final int NODES_PER_DECADE = 40;
  private static final int PIECE_POINTS = 8;
  private static final int MAX_EVALUATIONS = 1_000_000;

  private final ReactorAntineutrinoSpectrum spectrum;
  private final double maximumKeV;
  private final double[] nodesKeV;
  private final double[][] tails; // tails[k][j] = M_k(nodes[j])
  private final UnivariateFunction[] integrands;
  private final GaussIntegratorFactory gaussFactory = new GaussIntegratorFactory();

  SpectrumMoments(ReactorAntineutrinoSpectrum spectrum) {
    this.spectrum = spectrum;
    this.maximumKeV = spectrum.maximumEnergyKeV();
    this.nodesKeV = buildNodes(maximumKeV, spectrum.breakpointsKeV());
    this.integrands =
        new UnivariateFunction[] {
          spectrum::fluxDensityPerCm2PerSPerKeV,
          e -> spectrum.fluxDensityPerCm2PerSPerKeV(e) / e,
          e -> spectrum.fluxDensityPerCm2PerSPerKeV(e) / (e * e)
        };
    // Fill the factory's rule cache now: afterwards queries only read it, which keeps this class
    // safe to share between threads (the cache itself is not synchronised).
    gaussFactory.legendre(PIECE_POINTS, 0.0, 1.0);
    this.tails = new double[3][nodesKeV.length];
    IterativeLegendreGaussIntegrator integrator =
        new IterativeLegendreGaussIntegrator(8, 1e-11, Double.MIN_NORMAL);
    for (int k = 0; k < 3; k++) {
      for (int j = nodesKeV.length - 2; j >= 0; j--) {
        tails[k][j] =
            tails[k][j + 1]
                + integrator.integrate(MAX_EVALUATIONS, integrands[k], nodesKeV[j], nodesKeV[j + 1]);
      }
    }
  }

  ReactorAntineutrinoSpectrum spectrum() {
    return spectrum;
  }

  /**
   * Fills {@code out[0..2]} with M_0, M_1, M_2 at {@code minEnergyKeV}.
   *
   * @throws IllegalArgumentException if minEnergyKeV is below {@link #LOWEST_ENERGY_KEV}
   */
  void moments(double minEnergyKeV, double[] out) {
    if (minEnergyKeV >= maximumKeV) {
      out[0] = 0.0;
      out[1] = 0.0;
      out[2] = 0.0;
      return;
    }
    if (!(minEnergyKeV >= LOWEST_ENERGY_KEV)) {
      throw new IllegalArgumentException(
          "neutrino energy below the tabulated range: minEnergyKeV=" + minEnergyKeV
              + " lowestKeV=" + LOWEST_ENERGY_KEV);
    }
    int found = Arrays.binarySearch(nodesKeV, minEnergyKeV);
    if (found >= 0) {
      for (int k = 0; k < 3; k++) {
        out[k] = tails[k][found];
      }
      return;
    }
    int next = -found - 1; // first node above minEnergyKeV
    GaussIntegrator piece = gaussFactory.legendre(PIECE_POINTS, minEnergyKeV, nodesKeV[next]);
    for (int k = 0; k < 3; k++) {
      out[k] = tails[k][next] + piece.integrate(integrands[k]);
    }
  }

  private static double[] buildNodes(double maximumKeV, double[] breakpointsKeV) {
    int decades = (int) Math.ceil(Math.log10(maximumKeV / LOWEST_ENERGY_KEV) * NODES_PER_DECADE);
    double[] nodes = new double[decades + 1 + breakpointsKeV.length];
    int n = 0;
    for (int i = 0; i <= decades; i++) {
      nodes[n++] = Math.min(maximumKeV, LOWEST_ENERGY_KEV * Math.pow(10.0, (double) i / NODES_PER_DECADE));
    }
    for (double b : breakpointsKeV) {
      nodes[n++] = b;
    }
    return Arrays.stream(nodes).filter(e -> e <= maximumKeV).sorted().distinct().toArray();
  }
}
