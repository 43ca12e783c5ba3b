package org.nudaq.monitor.calibration;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nudaq.monitor.config.CalibrationConfig;

/**
 * The toy numbers of PeakFitter's quality gates in docs/analysis.md ("Fits refused"), repeatable: a study command,
 * not a test (PeakFitterTest and ChannelCalibratorTest keep the fast versions). Prints, for seeded synthetic
 * spectra (GEMMA-I: gain 0.005 keV/ADC, FWHM 1.0093 keV at 10.37 keV, σ 85.7 ADC):
 * <ol>
 *   <li>one genuine line of 100 counts (minLineCounts) on 0.1 / 0.2 / 0.3 counts per ADC: of the fits that pass
 *       the count threshold, how many each gate refuses;</li>
 *   <li>no line, fitted at V K 5.47 keV on 1 / 3 / 10 / 30 counts per ADC with minNetCounts 100: how many
 *       spectra reach a fit past the count threshold ("a line" without the gates: a fit or a gate's refusal)
 *       and how many give a line with them;</li>
 *   <li>Ga K with GEMMA-I's other K lines as the calibration fits it (every other line a tied neighbour) at
 *       200 / 400 / 900 / 1300 Ga K counts on 0.8 counts per ADC: fits kept, refusals by reason, and how many of
 *       the kept fits have net counts below 2 of their errors with the neighbours' contents free (what the
 *       significance gate refused before it held them);</li>
 *   <li>a calibrator whose last fitted resolution curve is too narrow (FWHM 0.45 keV for a true 1.0), fed one
 *       day of 3000 Ga K counts: how many of 20 apply a calibration.</li>
 * </ol>
 * Usage (from the repository root, after {@code mvn -B -q -o -pl monitor -DskipTests test-compile}):
 * <pre>
 *   java -cp "monitor/target/test-classes:monitor/target/classes:$(cat daq-server/target/classpath.txt)" \
 *     org.nudaq.monitor.calibration.GateToys [SPECTRA]
 * </pre>
 * SPECTRA (default 3000) per configuration of parts 1 and 2, a tenth of it (at least 200) in part 3.
 */
public final class GateToys {
  private static final double GAIN = 0.005;
  private static final double SIGMA_KEV = 1.0093 / 2.3548200450309493;

  private GateToys() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    PeakFitter fitter = new PeakFitter();
    double sigma = SIGMA_KEV / GAIN;
    System.out.println("1. one line of 100 counts, sigma 85.7 ADC, minNetCounts 100");
    for (double bg : new double[] {0.1, 0.2, 0.3}) {
      Map<PeakFitter.Failure, Integer> why = new EnumMap<>(PeakFitter.Failure.class);
      int fits = 0;
      for (int i = 0; i < n; i++) {
        SyntheticSpectrum s = new SyntheticSpectrum(4000, 9000 + i).line(10.37, SIGMA_KEV, 100, 0, GAIN).flat(bg);
        PeakFitter.Result r = fitter.fit(s.counts, 10.37, 10.37 / GAIN, sigma, new double[0], 100);
        if (r.fit() != null) {
          fits++;
        } else {
          why.merge(r.failure(), 1, Integer::sum);
        }
      }
      int refused = gated(why);
      System.out.printf(Locale.ROOT, "   background %.1f/ADC: %d spectra, %d past the count threshold, %d refused by the"
          + " gates (%.1f %%) %s%n", bg, n, fits + refused, refused, 100.0 * refused / Math.max(1, fits + refused), why);
    }
    System.out.println("2. no line, fitted at 5.47 keV, minNetCounts 100");
    for (double bg : new double[] {1, 3, 10, 30}) {
      Map<PeakFitter.Failure, Integer> why = new EnumMap<>(PeakFitter.Failure.class);
      int lines = 0;
      for (int i = 0; i < n; i++) {
        SyntheticSpectrum s = new SyntheticSpectrum(4000, 7000 + i).flat(bg);
        PeakFitter.Result r = fitter.fit(s.counts, 5.47, 5.47 / GAIN, sigma, new double[0], 100);
        if (r.fit() != null) {
          lines++;
        } else {
          why.merge(r.failure(), 1, Integer::sum);
        }
      }
      int refused = gated(why);
      System.out.printf(Locale.ROOT, "   background %.0f/ADC: %d spectra, without the gates %d lines (%.1f %%), with them"
          + " %d (%.2f %%) %s%n", bg, n, lines + refused, 100.0 * (lines + refused) / n, lines, 100.0 * lines / n, why);
    }
    System.out.println("3. Ga K in GEMMA-I's K-line blend, 0.8 counts/ADC, every other line a tied neighbour");
    double[] lines = {10.37, 9.66, 8.98, 8.33, 7.11, 6.54, 5.99, 5.47, 4.97};
    double[] relative = {1, 0.067, 0.1, 0, 0.033, 0.033, 0.017, 0, 0.017};
    double[] offsets = new double[lines.length - 1];
    for (int j = 1; j < lines.length; j++) {
      offsets[j - 1] = (lines[j] - 10.37) / GAIN;
    }
    int m = Math.max(200, n / 10);
    for (int ga : new int[] {200, 400, 900, 1300}) {
      Map<PeakFitter.Failure, Integer> why = new EnumMap<>(PeakFitter.Failure.class);
      int kept = 0;
      int marginal = 0;
      double errOverRoot = 0;
      for (int i = 0; i < m; i++) {
        SyntheticSpectrum s = new SyntheticSpectrum(2700, 500 + i).flat(0.8);
        for (int j = 0; j < lines.length; j++) {
          s.line(lines[j], SIGMA_KEV, (int) Math.round(ga * relative[j]), 0, GAIN);
        }
        PeakFitter.Result r = fitter.fit(s.counts, 10.37, 10.37 / GAIN, sigma, offsets, 10, 1.5);
        if (r.fit() != null) {
          kept++;
          marginal += r.fit().netCounts() < 2 * r.fit().netCountsErr() ? 1 : 0;
          errOverRoot += r.fit().netCountsErr() / Math.sqrt(r.fit().netCounts());
        } else {
          why.merge(r.failure(), 1, Integer::sum);
        }
      }
      System.out.printf(Locale.ROOT, "   Ga K %d counts: %d spectra, %d kept %s; counts' error with the neighbours free"
          + " %.1f x sqrt(N) on average, %d kept fits below 2 of it%n", ga, m, kept, why, errOverRoot / Math.max(1, kept),
          marginal);
    }
    System.out.println("4. a calibrator whose fitted resolution curve is FWHM 0.45 keV (true 1.0), one day of 3000 Ga K");
    ResolutionCurve gemma = new ResolutionCurve(1.0, 0.0);
    CalibrationConfig config = new CalibrationConfig(true, new double[] {10.37, 9.66, 8.98}, 0,
        CalibrationConfig.Terms.GAIN, 24, 10, 50, 1, 3, 3, 5, 0.1, 0.05, 0.25);
    int applied = 0;
    for (int seed = 300; seed < 320; seed++) {
      double[] used = ChannelCalibrator.usableLines(config, 2.8, gemma);
      EnergyScale nominal = new EnergyScale(0, GAIN, 0, 0, 0, 0, 0);
      ChannelCalibrator c = new ChannelCalibrator(config, used, nominal, gemma,
          ChannelCalibrator.adcLength(used, nominal, gemma, config, 65535));
      c.restore(new ChannelCalibrator.State(List.of(), nominal, new ResolutionCurve(0.45 * 0.45, 0), true));
      long[] counts = new SyntheticSpectrum(2600, seed).line(10.37, 0.4247, 3000, 0, GAIN)
          .line(9.66, 0.4247, 300, 0, GAIN).line(8.98, 0.4247, 428, 0, GAIN).flat(0.3).counts;
      applied += c.onInterval(0, 86_400_000_000_000L, counts).status().applied() ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "   %d of 20 applied%n", applied);
  }

  private static int gated(Map<PeakFitter.Failure, Integer> why) {
    return why.getOrDefault(PeakFitter.Failure.WIDTH_IMPLAUSIBLE, 0) + why.getOrDefault(PeakFitter.Failure.NOT_SIGNIFICANT, 0)
        + why.getOrDefault(PeakFitter.Failure.POSITION_UNCERTAIN, 0);
  }
}
