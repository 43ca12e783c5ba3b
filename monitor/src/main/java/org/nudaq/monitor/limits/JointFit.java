package org.nudaq.monitor.limits;

import java.util.Arrays;

/**
 * The joint fit of the two electromagnetic signals a = μν² and c = qν² (each in its template's unit
 * scale) to the ON − OFF difference of a binned window, with nuisance parameters profiled, in the
 * Gaussian (χ²) approximation.
 *
 * <p><b>Model.</b> Per used bin i the data are d_i = n_i/t_on − m_i/t_off − w_i (counts/day, the
 * nominal weak rate subtracted) with variance V_i (the expected-count variance of
 * {@link GaussianEstimator}, in counts²/day²). The expectation is linear in a, c and, to first order,
 * in every nuisance θ_k (each a standard normal: θ_k = 0 nominal, ±1 its 1σ constraint):
 * <pre>
 *   E[d_i] = a s_i + c c_i + Σ_k θ_k (g0_ki + a gs_ki + c gc_ki)
 *   χ²(a, c, θ) = Σ_i (d_i − E[d_i])² / V_i + Σ_k θ_k²
 * </pre>
 * g0, gs, gc being the changes of the weak/background part, of the μν template and of the qν
 * template per unit θ_k (built by the caller, e.g. {@code SystematicTemplates}). The profile
 * χ²(a, c) minimises over θ; at fixed (a, c) that is linear least squares, solved exactly.
 * Everything is computed from the Gram matrix of the 3 + 3K basis vectors, built once per
 * {@link #load}, so a χ² evaluation costs O(K²), independent of the number of bins.
 *
 * <p><b>Results.</b> The unconstrained best fit (â, ĉ) and its covariance (the inverse Hessian,
 * nuisances profiled); the best fit inside the physical region a, c ≥ 0; the 90% CL region
 * {(a, c) ≥ 0 : t(a, c) ≤ k(a, c)}, t = χ²(a, c) − min_{a,c ≥ 0} χ², with the boundary-aware critical
 * value k of {@link ContourCriticalValue} (the Feldman–Cousins construction in two dimensions for a
 * Gaussian estimate); the one-at-a-time fits (the other parameter fixed at 0, nuisances profiled)
 * with Feldman–Cousins intervals; and the significance of a non-zero signal. A subset of the
 * nuisances can be switched off per call ({@code active}), so one load gives the fit without
 * nuisances, with each alone and with all.
 *
 * <p>Not thread-safe (scratch arrays); one instance per thread. {@link #load} allocates only when
 * the bin count grows.
 *
 * <p>Size: over the ~400-line rule: one model on one Gram matrix and its scratch arrays — the fit at fixed
 * (a, c), the profile χ², the physical fit, the 90% CL region on a grid and the one-at-a-time intervals all
 * solve the same normal equations; split apart they would hand the matrix and the scratch arrays between
 * classes in the grid's inner loop.
 */
public final class JointFit {
  private static final int MAX_ITERATIONS = 30;
  /** Convergence: every step below this many σ of its parameter. */
  private static final double TOLERANCE = 1e-6;

  private final int nuisances;
  private final int basis;
  private final double[][] gram;
  private final FeldmanCousinsGaussian feldmanCousins;
  private final ContourCriticalValue critical;
  private final double confidenceLevel;
  private int bins;
  private final int[] scratchIndex;
  private final double[] scratchB;
  private final double[] scratchY;
  private final double[][] scratchH;

  /**
   * @param nuisanceCount   K, the number of nuisance parameters the loads provide (≥ 0)
   * @param confidenceLevel of every interval and of the contour, 0 &lt; CL &lt; 1
   */
  public JointFit(int nuisanceCount, double confidenceLevel) {
    if (nuisanceCount < 0) {
      throw new InvalidLimitInputException("nuisance count must be >= 0: " + nuisanceCount);
    }
    this.nuisances = nuisanceCount;
    this.basis = 3 + 3 * nuisanceCount;
    this.gram = new double[basis][basis];
    this.feldmanCousins = new FeldmanCousinsGaussian(confidenceLevel);
    this.critical = new ContourCriticalValue(confidenceLevel);
    this.confidenceLevel = confidenceLevel;
    this.scratchIndex = new int[nuisanceCount];
    this.scratchB = new double[nuisanceCount];
    this.scratchY = new double[nuisanceCount];
    this.scratchH = new double[nuisanceCount][nuisanceCount];
  }

  public int nuisanceCount() {
    return nuisances;
  }

  public double confidenceLevel() {
    return confidenceLevel;
  }

  /** Bins of the last load. */
  public int bins() {
    return bins;
  }

  /**
   * Loads one data set. Bins with s_i = c_i = 0 (masked) or V_i ≤ 0 are skipped.
   *
   * @param d        ON − OFF − weak per bin, counts/day
   * @param variance V_i per bin, (counts/day)²
   * @param s        μν template per bin (unit a), counts/day
   * @param c        qν template per bin (unit c), counts/day
   * @param g0       [K][bins]: change of the weak/background part per unit θ_k
   * @param gs       [K][bins]: change of s per unit θ_k
   * @param gc       [K][bins]: change of c per unit θ_k
   * @param from     first bin (inclusive)
   * @param to       last bin (exclusive)
   */
  public void load(double[] d, double[] variance, double[] s, double[] c, double[][] g0, double[][] gs,
      double[][] gc, int from, int to) {
    for (double[] row : gram) {
      Arrays.fill(row, 0.0);
    }
    double[] v = new double[basis];
    int used = 0;
    for (int i = from; i < to; i++) {
      if ((s[i] == 0.0 && c[i] == 0.0) || !(variance[i] > 0.0)) {
        continue;
      }
      double wgt = 1.0 / variance[i];
      v[0] = d[i];
      v[1] = s[i];
      v[2] = c[i];
      for (int k = 0; k < nuisances; k++) {
        v[3 + k] = g0[k][i];
        v[3 + nuisances + k] = gs[k][i];
        v[3 + 2 * nuisances + k] = gc[k][i];
      }
      for (int p = 0; p < basis; p++) {
        double wp = wgt * v[p];
        if (wp == 0.0) {
          continue;
        }
        double[] row = gram[p];
        for (int q = p; q < basis; q++) {
          row[q] += wp * v[q];
        }
      }
      used++;
    }
    for (int p = 0; p < basis; p++) {
      for (int q = 0; q < p; q++) {
        gram[p][q] = gram[q][p];
      }
    }
    if (used == 0) {
      throw new InvalidLimitInputException("joint fit: no bin with a signal template > 0 in " + from + ".." + to);
    }
    bins = used;
  }

  /** All nuisances on. */
  public boolean[] all() {
    boolean[] a = new boolean[nuisances];
    Arrays.fill(a, true);
    return a;
  }

  /** No nuisance (statistics only). */
  public boolean[] none() {
    return new boolean[nuisances];
  }

  /** Only nuisance k. */
  public boolean[] only(int k) {
    boolean[] a = new boolean[nuisances];
    a[k] = true;
    return a;
  }

  /**
   * One minimisation of χ² over the free parameters: a and c free unless fixed (a non-NaN value
   * fixes it), the active nuisances always free.
   */
  public Fit fit(boolean[] active, double fixedA, double fixedC) {
    boolean freeA = Double.isNaN(fixedA);
    boolean freeC = Double.isNaN(fixedC);
    int[] nu = activeIndices(active);
    int p = (freeA ? 1 : 0) + (freeC ? 1 : 0) + nu.length;
    double a = freeA ? 0.0 : fixedA;
    double c = freeC ? 0.0 : fixedC;
    double[] theta = new double[nuisances];
    double[][] cols = new double[p][];
    double[] r = new double[basis];
    double[][] h = new double[p][p];
    double[] g = new double[p];
    double[][] inverse = null;
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      int j = 0;
      if (freeA) {
        cols[j++] = columnA(theta);
      }
      if (freeC) {
        cols[j++] = columnC(theta);
      }
      for (int k : nu) {
        cols[j++] = columnNuisance(k, a, c);
      }
      residual(a, c, theta, r);
      for (int x = 0; x < p; x++) {
        double[] mx = times(cols[x]);
        g[x] = dot(mx, r);
        for (int y = x; y < p; y++) {
          h[x][y] = dot(mx, cols[y]);
          h[y][x] = h[x][y];
        }
      }
      int off = (freeA ? 1 : 0) + (freeC ? 1 : 0);
      for (int x = 0; x < nu.length; x++) {
        h[off + x][off + x] += 1.0;
        g[off + x] -= theta[nu[x]];
      }
      inverse = invert(h);
      double step = 0.0; // the largest step in units of its parameter's σ
      j = 0;
      double[] delta = new double[p];
      for (int x = 0; x < p; x++) {
        for (int y = 0; y < p; y++) {
          delta[x] += inverse[x][y] * g[y];
        }
        step = Math.max(step, Math.abs(delta[x]) / Math.sqrt(Math.max(inverse[x][x], 1e-300)));
      }
      if (freeA) {
        a += delta[j++];
      }
      if (freeC) {
        c += delta[j++];
      }
      for (int k : nu) {
        theta[k] += delta[j++];
      }
      if (step < TOLERANCE) {
        break;
      }
    }
    residual(a, c, theta, r);
    double chi2 = dot(times(r), r);
    for (int k : nu) {
      chi2 += theta[k] * theta[k];
    }
    double varA = Double.NaN;
    double varC = Double.NaN;
    double covAc = Double.NaN;
    if (p > 0) {
      int j = 0;
      int ia = freeA ? j++ : -1;
      int ic = freeC ? j : -1;
      varA = ia >= 0 ? inverse[ia][ia] : Double.NaN;
      varC = ic >= 0 ? inverse[ic][ic] : Double.NaN;
      covAc = ia >= 0 && ic >= 0 ? inverse[ia][ic] : Double.NaN;
    }
    return new Fit(a, c, chi2, varA, varC, covAc, theta);
  }

  /**
   * The profile χ²(a, c) with the active nuisances minimised. At fixed (a, c) the model is linear in θ,
   * so the minimum is closed-form: with r = d − a s − c c and G_k = g0_k + a gs_k + c gc_k,
   * χ² = rᵀWr − bᵀ(GᵀWG + 1)⁻¹b, b = GᵀWr (Cholesky on K×K; from the Gram matrix, no allocation).
   */
  public double profileChi2(boolean[] active, double a, double c) {
    double[][] m = gram;
    double rr = m[0][0] - 2 * a * m[0][1] - 2 * c * m[0][2] + a * a * m[1][1] + 2 * a * c * m[1][2]
        + c * c * m[2][2];
    int n = 0;
    for (int k = 0; k < nuisances; k++) {
      if (active[k]) {
        scratchIndex[n++] = k;
      }
    }
    if (n == 0) {
      return rr;
    }
    int k0 = 3;
    int ks = 3 + nuisances;
    int kc = 3 + 2 * nuisances;
    for (int x = 0; x < n; x++) {
      int i0 = k0 + scratchIndex[x];
      int is = ks + scratchIndex[x];
      int ic = kc + scratchIndex[x];
      double g0r = m[i0][0] - a * m[i0][1] - c * m[i0][2];
      double gsr = m[is][0] - a * m[is][1] - c * m[is][2];
      double gcr = m[ic][0] - a * m[ic][1] - c * m[ic][2];
      scratchB[x] = g0r + a * gsr + c * gcr;
      for (int y = 0; y <= x; y++) {
        int j0 = k0 + scratchIndex[y];
        int js = ks + scratchIndex[y];
        int jc = kc + scratchIndex[y];
        double h = m[i0][j0] + a * (m[i0][js] + m[is][j0]) + c * (m[i0][jc] + m[ic][j0])
            + a * a * m[is][js] + a * c * (m[is][jc] + m[ic][js]) + c * c * m[ic][jc];
        scratchH[x][y] = h + (x == y ? 1.0 : 0.0);
      }
    }
    // Cholesky H = LLᵀ in place (lower triangle), then bᵀH⁻¹b = |L⁻¹b|².
    for (int x = 0; x < n; x++) {
      for (int y = 0; y <= x; y++) {
        double sum = scratchH[x][y];
        for (int z = 0; z < y; z++) {
          sum -= scratchH[x][z] * scratchH[y][z];
        }
        if (x == y) {
          scratchH[x][x] = Math.sqrt(Math.max(sum, 1e-300));
        } else {
          scratchH[x][y] = sum / scratchH[y][y];
        }
      }
    }
    double quad = 0;
    for (int x = 0; x < n; x++) {
      double sum = scratchB[x];
      for (int z = 0; z < x; z++) {
        sum -= scratchH[x][z] * scratchY[z];
      }
      scratchY[x] = sum / scratchH[x][x];
      quad += scratchY[x] * scratchY[x];
    }
    return rr - quad;
  }

  /** The best fit inside a, c ≥ 0 (the minimum over the interior and the two edges). */
  public Fit physicalFit(boolean[] active, Fit unconstrained) {
    if (unconstrained.a() >= 0 && unconstrained.c() >= 0) {
      return unconstrained;
    }
    Fit best = fit(active, 0.0, 0.0);
    Fit onA = fit(active, Double.NaN, 0.0);
    if (onA.a() >= 0 && onA.chi2() < best.chi2()) {
      best = onA;
    }
    Fit onC = fit(active, 0.0, Double.NaN);
    if (onC.c() >= 0 && onC.chi2() < best.chi2()) {
      best = onC;
    }
    return best;
  }

  /**
   * The whole joint result with the active nuisances: best fits, covariance, contour on a
   * {@code grid}×{@code grid} grid, the one-at-a-time fits and the significance.
   */
  public JointResult result(boolean[] active, int grid) {
    Fit free = fit(active, Double.NaN, Double.NaN);
    Fit phys = physicalFit(active, free);
    double sa = Math.sqrt(free.varA());
    double sc = Math.sqrt(free.varC());
    double rho = free.covAc() / (sa * sc);
    OneParameter mu = oneAtATime(active, true);
    OneParameter q = oneAtATime(active, false);
    double t0 = Math.max(0.0, profileChi2(active, 0.0, 0.0) - phys.chi2());
    double z = jointSignificance(t0, rho);
    // Contour grid: from 0 to 4.5σ beyond the larger of the free and physical best fits; when the region
    // fills less than 30% of that range on both axes (an estimate far below the boundary), the grid is
    // drawn again over the region's own extent, so that it is resolved.
    double aMax = Math.max(Math.max(free.a(), phys.a()), 0.0) + 4.5 * sa;
    double cMax = Math.max(Math.max(free.c(), phys.c()), 0.0) + 4.5 * sc;
    double[] aValues = new double[grid];
    double[] cLow = new double[grid];
    double[] cHigh = new double[grid];
    for (int pass = 0; pass < 2; pass++) {
      Arrays.fill(cLow, Double.NaN);
      Arrays.fill(cHigh, Double.NaN);
      int lastA = -1;
      int lastC = -1;
      for (int i = 0; i < grid; i++) {
        aValues[i] = aMax * i / (grid - 1);
        for (int j = 0; j < grid; j++) {
          double cv = cMax * j / (grid - 1);
          if (accepted(active, phys.chi2(), aValues[i], cv, sa, sc, rho)) {
            if (Double.isNaN(cLow[i])) {
              cLow[i] = cv;
            }
            cHigh[i] = cv;
            lastA = i;
            lastC = Math.max(lastC, j);
          }
        }
      }
      if (pass == 1 || lastA < 0 || lastA >= 0.3 * (grid - 1) && lastC >= 0.3 * (grid - 1)) {
        break;
      }
      aMax = lastA >= 0.3 * (grid - 1) ? aMax : aMax * Math.min(grid - 1, lastA + 2) / (grid - 1);
      cMax = lastC >= 0.3 * (grid - 1) ? cMax : cMax * Math.min(grid - 1, lastC + 2) / (grid - 1);
    }
    return new JointResult(free.a(), sa, free.c(), sc, rho, free.covAc(), phys.a(), phys.c(), phys.chi2(), bins,
        t0, z, free.theta().clone(), mu, q, aValues, cLow, cHigh, confidenceLevel);
  }

  /**
   * Whether (a, c) is inside the joint confidence region: t(a, c) ≤ k(a, c) with the covariance
   * of the free fit (σ_a, σ_c, ρ).
   */
  public boolean accepted(boolean[] active, double chi2Min, double a, double c, double sa, double sc, double rho) {
    double t = profileChi2(active, a, c) - chi2Min;
    if (t > critical.interiorValue()) {
      return false; // the boundary only ever lowers the critical value
    }
    if (t <= critical.originValue(rho)) {
      return true; // the vertex has the smallest critical value
    }
    return t <= critical.value(a / sa, c / sc, rho);
  }

  /** Whether the truth (a, c) lies in the joint region of this load (the contour test). */
  public boolean contains(boolean[] active, double a, double c) {
    Fit free = fit(active, Double.NaN, Double.NaN);
    Fit phys = physicalFit(active, free);
    double sa = Math.sqrt(free.varA());
    double sc = Math.sqrt(free.varC());
    return accepted(active, phys.chi2(), a, c, sa, sc, free.covAc() / (sa * sc));
  }

  /** One parameter with the other fixed at 0, nuisances profiled: estimate, FC interval, significance. */
  public OneParameter oneAtATime(boolean[] active, boolean forA) {
    Fit f = forA ? fit(active, Double.NaN, 0.0) : fit(active, 0.0, Double.NaN);
    double hat = forA ? f.a() : f.c();
    double sigma = Math.sqrt(forA ? f.varA() : f.varC());
    ConfidenceInterval ci = feldmanCousins.interval(hat, sigma);
    return new OneParameter(hat, sigma, ci.lower(), ci.upper(), Math.max(0.0, hat / sigma));
  }

  /**
   * Z of the joint test of (0, 0) against a, c ≥ 0: under the null t follows the chi-bar-square
   * mixture ½χ²₁ + w₂χ²₂ (+ w₀ at 0) with w₂ = ¼ + arcsin(ρ)/(2π) for estimates of correlation ρ
   * (the probability that both lie in the quadrant); Z = Φ⁻¹(1 − p).
   */
  public static double jointSignificance(double t0, double rho) {
    if (!(t0 > 0)) {
      return 0.0;
    }
    double w2 = 0.25 + Math.asin(Math.max(-1, Math.min(1, rho))) / (2 * Math.PI);
    double p1 = 2.0 * (1.0 - StandardNormal.cdf(Math.sqrt(t0)));
    double p2 = Math.exp(-0.5 * t0);
    double p = 0.5 * p1 + w2 * p2;
    if (p <= 0) {
      return Math.sqrt(t0); // beyond double precision: the asymptote of Φ⁻¹
    }
    return p >= 0.5 ? 0.0 : -StandardNormal.inverseCdf(p);
  }

  // --- the basis algebra: vectors are coefficient vectors over the 3 + 3K basis templates ---

  private double[] columnA(double[] theta) {
    double[] v = new double[basis];
    v[1] = 1.0;
    for (int k = 0; k < nuisances; k++) {
      v[3 + nuisances + k] = theta[k];
    }
    return v;
  }

  private double[] columnC(double[] theta) {
    double[] v = new double[basis];
    v[2] = 1.0;
    for (int k = 0; k < nuisances; k++) {
      v[3 + 2 * nuisances + k] = theta[k];
    }
    return v;
  }

  private double[] columnNuisance(int k, double a, double c) {
    double[] v = new double[basis];
    v[3 + k] = 1.0;
    v[3 + nuisances + k] = a;
    v[3 + 2 * nuisances + k] = c;
    return v;
  }

  private void residual(double a, double c, double[] theta, double[] r) {
    Arrays.fill(r, 0.0);
    r[0] = 1.0;
    r[1] = -a;
    r[2] = -c;
    for (int k = 0; k < nuisances; k++) {
      r[3 + k] = -theta[k];
      r[3 + nuisances + k] = -a * theta[k];
      r[3 + 2 * nuisances + k] = -c * theta[k];
    }
  }

  private double[] times(double[] v) {
    double[] out = new double[basis];
    for (int p = 0; p < basis; p++) {
      double sum = 0.0;
      double[] row = gram[p];
      for (int q = 0; q < basis; q++) {
        if (v[q] != 0.0) {
          sum += row[q] * v[q];
        }
      }
      out[p] = sum;
    }
    return out;
  }

  private static double dot(double[] x, double[] y) {
    double s = 0.0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  private int[] activeIndices(boolean[] active) {
    if (active.length != nuisances) {
      throw new InvalidLimitInputException("joint fit: " + active.length + " nuisance switches for " + nuisances
          + " nuisances");
    }
    int n = 0;
    for (boolean b : active) {
      n += b ? 1 : 0;
    }
    int[] out = new int[n];
    int j = 0;
    for (int k = 0; k < nuisances; k++) {
      if (active[k]) {
        out[j++] = k;
      }
    }
    return out;
  }

  /** Gauss–Jordan inverse of a small symmetric positive-definite matrix (a copy). */
  static double[][] invert(double[][] m) {
    int n = m.length;
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n + i] = 1.0;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int row = col + 1; row < n; row++) {
        if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
          pivot = row;
        }
      }
      double[] tmp = a[col];
      a[col] = a[pivot];
      a[pivot] = tmp;
      double d = a[col][col];
      if (d == 0.0) {
        throw new InvalidLimitInputException("joint fit: singular information matrix (a template is zero "
            + "or two are identical)");
      }
      for (int k = 0; k < 2 * n; k++) {
        a[col][k] /= d;
      }
      for (int row = 0; row < n; row++) {
        if (row != col && a[row][col] != 0.0) {
          double f = a[row][col];
          for (int k = 0; k < 2 * n; k++) {
            a[row][k] -= f * a[col][k];
          }
        }
      }
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], n, out[i], 0, n);
    }
    return out;
  }

  /**
   * One minimisation.
   *
   * @param a      a at the minimum (or its fixed value)
   * @param c      c at the minimum (or its fixed value)
   * @param chi2   χ² at the minimum, constraint terms included
   * @param varA   variance of a (nuisances profiled; NaN when a was fixed)
   * @param varC   variance of c (NaN when fixed)
   * @param covAc  covariance of a and c (NaN unless both free)
   * @param theta  the nuisances at the minimum, in σ of their constraints (0 when inactive)
   */
  public record Fit(double a, double c, double chi2, double varA, double varC, double covAc, double[] theta) {}

  /**
   * One parameter with the other at 0.
   *
   * @param hat          estimate (may be negative)
   * @param sigma        its standard deviation, nuisances profiled
   * @param lower        lower end of the Feldman–Cousins interval (0: an upper limit)
   * @param upper        upper end
   * @param significance Z of a non-zero signal, max(0, hat/σ) (√ of the bounded likelihood ratio)
   */
  public record OneParameter(double hat, double sigma, double lower, double upper, double significance) {}
}
