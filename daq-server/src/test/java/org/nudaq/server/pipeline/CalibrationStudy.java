package org.nudaq.server.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.CalibrationStatus;
import org.nudaq.monitor.calibration.EnergyScale;
import org.nudaq.monitor.calibration.LineFit;
import org.nudaq.monitor.calibration.PeakFitter;
import org.nudaq.monitor.config.CalibrationConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.DriftConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.monitor.physics.ConfiguredPhysics;
import org.nudaq.monitor.physics.PhysicsModel;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.calibration.CalibrationHistory;
import org.nudaq.server.calibration.OnlineCalibration;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.generator.PhysicsRecoilRates;
import org.nudaq.sim.generator.RecoilRates;

/**
 * The acceptance study of issue 17: a simulated year whose HPGe gain drifts (default: +0.5 % over the year,
 * a daily ±0.05 % cycle and a +0.3 % step at day 200) through the real event generator and the daemon's
 * pipeline ({@link EventGenerator} → {@link SimulatorFeed} → {@link EventPipeline}, in process), three ways:
 * drifting with the online calibration (fits inline at each interval, as a replay that recalibrates does),
 * drifting without it, and without drift. For each month (30 days) the after-gates spectrum (ON + OFF) is
 * fitted at the Ga K 10.37 keV line ({@link PeakFitter}, Zn K 9.66, Cu K 8.98 and Fe K 7.11 keV as tied
 * neighbours; the width constrained to ±10 % of the resolution in force, the neighbours' contents to their
 * ratios to Ga K in the run's summed spectrum: {@link #refit}); the pull (E_fit − 10.37)/σ_fit of each month,
 * and the FWHM of the line in the year's summed spectrum (width and neighbours free). Several seeds in one
 * invocation; the fraction of months within 2.5 σ per seed and pooled over the seeds.
 *
 * <p>Simulator setting as {@link NullRunStudy}'s fast one (NaI singles 0.05 Hz, muons 0.01 Hz, status every
 * 60 s): the HPGe physics is untouched. Usage (from the repository root, after {@code mvn -B -q -o -pl
 * daq-server -am -DskipTests test-compile}):
 * <pre>
 *   java -cp "daq-server/target/test-classes:daq-server/target/classes:monitor/target/classes:hardware-sim/target/classes:$(cat daq-server/target/classpath.txt)" \
 *     org.nudaq.server.pipeline.CalibrationStudy [--config F] [--seeds S1,S2,...] [--months M] [--window-days W] \
 *     [--line-scale K] [--max-gain-err PERCENT] [--pulser KEV [--pulser-hz HZ]] [--runs online,uncalibrated,nodrift] \
 *     [--width-constraint R | --free-month-fit] [--dump DIR] [--load DIR]
 * </pre>
 * {@code --runs} skips the runs a table does not need; {@code --dump} writes each run's month spectra to
 * DIR/seedS-RUN.txt and {@code --load} fits those again instead of simulating (seconds instead of minutes).
 */
public final class CalibrationStudy {
  private static final double DAY_NS = 86_400e9;

  /**
   * One month's fit of the 10.37 keV line; energies in keV. {@code scaleErrKeV}: the uncertainty the energy
   * scale in force gave 10.37 keV over the month (the mean of the applied calibrations' gain errors, weighted by
   * the time each was in force; 0 without online calibration).
   */
  public record Month(int month, double energyKeV, double energyErrKeV, double fwhmKeV, double counts, double scaleErrKeV) {
    Month(int month, double energyKeV, double energyErrKeV, double fwhmKeV, double counts) {
      this(month, energyKeV, energyErrKeV, fwhmKeV, counts, 0);
    }

    /** (E − 10.37 keV)/σ_fit: the line's own statistical error only (the acceptance criterion). */
    double pull() {
      return (energyKeV - 10.37) / energyErrKeV;
    }

    /** The pull with the energy scale's uncertainty added in quadrature. */
    double pullWithScale() {
      return (energyKeV - 10.37) / Math.hypot(energyErrKeV, scaleErrKeV);
    }

    Month withScaleErr(double keV) {
      return new Month(month, energyKeV, energyErrKeV, fwhmKeV, counts, keV);
    }
  }

  /**
   * A run: the months, the year's summed fit, the calibration history (empty without calibration), and the
   * spectra they were fitted from (after gates, ON + OFF, counts per analysis bin), so the fits can be repeated
   * ({@link #refit}); the σ at 10.37 keV the calibrations in force reported over each month (keV; the configured
   * one without calibration: shown, not used by the fits), and the detector's configured σ there.
   */
  public record Run(List<Month> months, Month year, CalibrationHistory history, List<long[]> monthSpectra,
      long[] yearSpectrum, double[] monthSigmaKeV, double configuredSigmaKeV) {
    /** Fraction of months whose line sits within k fitted standard errors of 10.37 keV. */
    double fractionWithin(double k) {
      long n = months.stream().filter(m -> Math.abs(m.pull()) <= k).count();
      return (double) n / months.size();
    }
  }

  private CalibrationStudy() {}

  /** The acceptance drift of issue 17. */
  static final DriftConfig ACCEPTANCE_DRIFT = new DriftConfig(0.005 * 365.25 / 360, 0.0005, 0, 0, 0,
      List.of(new DriftConfig.Step(200, 0.003, 0)), 0, 0);

  /** The acceptance drift with a pulser line at {@code pulserKeV} (0: none) of {@code pulserHz} in the HPGe. */
  static DriftConfig withPulser(DriftConfig d, double pulserKeV, double pulserHz) {
    return new DriftConfig(d.gainPerYear(), d.gainDailyAmplitude(), d.offsetKeVPerYear(), d.offsetDailyKeV(),
        d.resolutionPerYear(), d.steps(), pulserKeV, pulserKeV > 0 ? pulserHz : 0);
  }

  /** The configuration of a run: the base's detectors and channels, the fast simulator, drift and calibration. */
  static NudaqConfig configFor(NudaqConfig base, long seed, DriftConfig drift, CalibrationConfig calibration) {
    return configFor(base, seed, drift, calibration, 1);
  }

  /** As above with the X-ray lines' intensities multiplied by {@code lineScale}. */
  static NudaqConfig configFor(NudaqConfig base, long seed, DriftConfig drift, CalibrationConfig calibration,
      double lineScale) {
    SimulatorConfig b = base.simulator();
    List<SimulatorConfig.XrayLine> lines = b.xrayLines().stream().map(l -> new SimulatorConfig.XrayLine(l.name(),
        l.energyKeV(), l.halfLifeDays(), l.initialPerKgDay() * lineScale)).toList();
    SimulatorConfig sim = new SimulatorConfig(seed, b.schedule(), 0, 0, b.comptonPerKeVKgDay(), lines,
        b.tritiumPerKgDay(), b.noisePerKgDay(), b.noiseSlopeKeV(), b.burstEveryDays(), b.burstDurationSeconds(),
        b.burstRateHz(), 0.05, 0.01, b.hpgeDeadTimeNs(), b.aggregateMaxEvents(), b.aggregateMaxAgeMs(), 60,
        b.bufferEvents(), drift);
    return base.withSimulator(sim).withCalibration(calibration);
  }

  /**
   * The month fit's width constraint, relative (±10 %): the resolution is known (configured, or fitted by the
   * calibration from a whole window); a month's few hundred counts with σ free converge now and then to a spike
   * on a fluctuation or to a blend twice as wide (docs/analysis.md). 10 % lets the line be broader or narrower
   * than expected by what a drift within the month or a resolution error could make it.
   */
  static final double WIDTH_CONSTRAINT = 0.1;

  /** Runs {@code months} months of 30 days; with {@code calibration.enabled()} the online calibration runs inline. */
  public static Run run(NudaqConfig config, int months) {
    return run(config, months, WIDTH_CONSTRAINT);
  }

  /**
   * As {@link #run(NudaqConfig, int)}, each month's width constrained to ± {@code widthConstraint} (relative;
   * infinite: free) of the resolution at 10.37 keV: the calibrations' in force over the month (time-weighted)
   * with the online calibration, the detector's configured one otherwise.
   */
  public static Run run(NudaqConfig config, int months, double widthConstraint) {
    PhysicsModel model = ConfiguredPhysics.model(config);
    List<RecoilRates> rates = new ArrayList<>();
    for (int d = 0; d < config.detectors().size(); d++) {
      rates.add(new PhysicsRecoilRates(model, 0, 0));
    }
    EventPipeline pipeline = new EventPipeline(config);
    CalibrationHistory history = new CalibrationHistory();
    if (config.calibration().enabled()) {
      pipeline.onCalibrationIntervals(new OnlineCalibration(config, OnlineCalibration.Mode.INLINE, c -> {
        if (pipeline.applyCalibration(c.boardId(), c.channel(), c.calibration().scale().coefficients())) {
          history.applied(c);
        }
      }, history));
    }
    SimulatorFeed feed = new SimulatorFeed(config, pipeline);
    EventGenerator generator = new EventGenerator(config, rates, feed);
    feed.start(generator);
    List<Month> out = new ArrayList<>();
    List<long[]> spectra = new ArrayList<>();
    double[] sigmas = new double[months];
    double configuredSigmaKeV = ConfiguredPhysics.response(config.detectors().get(0)).sigmaKeV(10.37);
    long[] previous = null;
    long[] total = null;
    double binWidth = config.analysis().binWidthKeV();
    double low = config.analysis().spectrumLowKeV();
    for (int m = 1; m <= months; m++) {
      generator.generateUntil(Math.round(m * 30 * DAY_NS));
      long[] now = afterGates(pipeline.publish(Instant.EPOCH));
      long[] month = now.clone();
      if (previous != null) {
        for (int i = 0; i < month.length; i++) {
          month[i] -= previous[i];
        }
      }
      previous = now;
      total = now;
      double fromNs = (m - 1) * 30 * DAY_NS;
      double toNs = m * 30 * DAY_NS;
      sigmas[m - 1] = sigmaKeV(history, fromNs, toNs, configuredSigmaKeV);
      spectra.add(month);
      out.add(new Month(m, Double.NaN, Double.NaN, Double.NaN, 0, scaleErrKeV(history, fromNs, toNs)));
    }
    Run r = new Run(out, null, history, spectra, total, sigmas, configuredSigmaKeV);
    return refit(r, low, binWidth, widthConstraint);
  }

  /**
   * The run's fits from its spectra: the year's summed spectrum with σ and the neighbours free, then each
   * month with the width constrained to ± {@code widthConstraint} of the year's fitted σ and the neighbours'
   * contents to their ratios to the line in the year's fit ({@link #neighbourConstraints}; infinite: all free,
   * as the year). Not the calibration's reported resolution: at nominal intensities its FWHM at 10.37 keV comes
   * from a 30-day window's few hundred Ga K counts and scatters by 10–35 % (docs/analysis.md); the year's
   * summed spectrum holds twelve months of the line (the resolution does not change in the study).
   */
  static Run refit(Run r, double lowKeV, double binWidthKeV, double widthConstraint) {
    PeakFitter.Result year = fit(r.yearSpectrum(), lowKeV, binWidthKeV, r.configuredSigmaKeV(), PeakFitter.Constraints.NONE);
    PeakFitter.Constraints constraints = Double.isFinite(widthConstraint)
        ? neighbourConstraints(year, widthConstraint) : PeakFitter.Constraints.NONE;
    double sigmaKeV = year.fit() != null ? year.fit().sigmaAdc() * binWidthKeV : r.configuredSigmaKeV();
    List<Month> out = new ArrayList<>();
    for (int m = 0; m < r.monthSpectra().size(); m++) {
      out.add(month(m + 1, fit(r.monthSpectra().get(m), lowKeV, binWidthKeV, sigmaKeV, constraints),
          lowKeV, binWidthKeV).withScaleErr(r.months().get(m).scaleErrKeV()));
    }
    return new Run(out, month(0, year, lowKeV, binWidthKeV), r.history(), r.monthSpectra(), r.yearSpectrum(),
        r.monthSigmaKeV(), r.configuredSigmaKeV());
  }

  /**
   * The relative uncertainty given to the neighbours' content ratios on top of the year fit's statistical one:
   * the ratios change over the year (Cu K's 65Zn lives 244 d, Ga K's 68Ge 271 d, and 71Ge's 11.4 d adds Ga K in
   * the first weeks); 20 % covers that.
   */
  static final double RATIO_SPREAD = 0.2;

  /**
   * The month fits' constraints from the year's: the width within ± {@code widthConstraint}, and each
   * neighbour's content over the line's at the year fit's ratio (clipped at 0) ± its statistical error (both
   * contents' errors, in quadrature) and {@link #RATIO_SPREAD}; free where the year fit has none.
   */
  static PeakFitter.Constraints neighbourConstraints(PeakFitter.Result year, double widthConstraint) {
    if (year.fit() == null) {
      return PeakFitter.Constraints.width(widthConstraint);
    }
    double a = year.fit().netCounts();
    double aErr = year.fit().netCountsErr();
    double[] ratios = new double[year.neighbourCounts().length];
    double[] errs = new double[ratios.length];
    for (int j = 0; j < ratios.length; j++) {
      double n = year.neighbourCounts()[j];
      if (Double.isNaN(n)) {
        ratios[j] = Double.NaN;
        errs[j] = Double.NaN;
        continue;
      }
      double r = n / a;
      double stat = Math.hypot(year.neighbourCountErrs()[j] / a, r * aErr / a);
      ratios[j] = Math.max(0, r);
      errs[j] = Math.hypot(stat, RATIO_SPREAD * ratios[j]);
    }
    return new PeakFitter.Constraints(widthConstraint, ratios, errs);
  }

  /**
   * The σ at 10.37 keV of the resolution curves applied in [fromNs, toNs), weighted by the time each was in force
   * (the configured σ before the first), keV; the configured σ without calibration.
   */
  static double sigmaKeV(CalibrationHistory history, double fromNs, double toNs, double configuredKeV) {
    if (history.channels().isEmpty()) {
      return configuredKeV;
    }
    List<Calibration> applied = history.applied(history.channels().get(0));
    double sum = 0;
    double covered = 0;
    for (int i = 0; i < applied.size(); i++) {
      double a = Math.max(fromNs, applied.get(i).atNs());
      double b = Math.min(toNs, i + 1 < applied.size() ? applied.get(i + 1).atNs() : toNs);
      if (b > a) {
        sum += (b - a) * applied.get(i).resolution().sigmaKeV(10.37);
        covered += b - a;
      }
    }
    return (sum + (toNs - fromNs - covered) * configuredKeV) / (toNs - fromNs);
  }

  /** The time-weighted mean uncertainty of 10.37 keV under the calibrations in force in [fromNs, toNs), keV. */
  static double scaleErrKeV(CalibrationHistory history, double fromNs, double toNs) {
    if (history.channels().isEmpty()) {
      return 0;
    }
    List<Calibration> applied = history.applied(history.channels().get(0));
    double sum = 0;
    for (int i = 0; i < applied.size(); i++) {
      double a = Math.max(fromNs, applied.get(i).atNs());
      double b = Math.min(toNs, i + 1 < applied.size() ? applied.get(i + 1).atNs() : toNs);
      if (b > a) {
        EnergyScale s = applied.get(i).scale();
        sum += (b - a) * 10.37 * s.gainErrKeVPerAdc() / s.gainKeVPerAdc();
      }
    }
    return sum / (toNs - fromNs);
  }

  /** The epochs started by a step: "applied at day D (from day F)". */
  static List<double[]> steps(CalibrationHistory history) {
    List<double[]> out = new ArrayList<>();
    if (!history.channels().isEmpty()) {
      for (Calibration c : history.applied(history.channels().get(0))) {
        if (c.status() == CalibrationStatus.STEP) {
          out.add(new double[] {c.atNs() / DAY_NS, c.windowStartNs() / DAY_NS});
        }
      }
    }
    return out;
  }

  private static long[] afterGates(PipelineSnapshot s) {
    PipelineSnapshot.DetectorSnapshot d = s.detectors().get(0);
    SpectrumSnapshot on = d.spectrum(Stage.AFTER_GATES, ReactorState.ON);
    SpectrumSnapshot off = d.spectrum(Stage.AFTER_GATES, ReactorState.OFF);
    long[] c = on.counts().clone();
    long[] o = off.counts();
    for (int i = 0; i < c.length; i++) {
      c[i] += o[i];
    }
    return c;
  }

  /**
   * Fits the 10.37 keV line in a keV spectrum (Zn K 9.66, Cu K 8.98 and Fe K 7.11 keV tied at their
   * distances), σ expected {@code sigmaKeV}: bin i is [low + i·w, low + (i+1)·w), handed to the fitter as ADC
   * value i, so energy = low + (position + ½)·w.
   */
  static PeakFitter.Result fit(long[] counts, double lowKeV, double binWidthKeV, double sigmaKeV,
      PeakFitter.Constraints constraints) {
    double center = (10.37 - lowKeV) / binWidthKeV - 0.5;
    return new PeakFitter().fit(counts, 10.37, center, sigmaKeV / binWidthKeV,
        new double[] {(9.66 - 10.37) / binWidthKeV, (8.98 - 10.37) / binWidthKeV, (7.11 - 10.37) / binWidthKeV}, 10,
        1.5, constraints);
  }

  /** A fit as a month's line: energies in keV (NaN when the fit failed). */
  static Month month(int month, PeakFitter.Result r, double lowKeV, double binWidthKeV) {
    if (r.fit() == null) {
      return new Month(month, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    LineFit f = r.fit();
    return new Month(month, lowKeV + (f.positionAdc() + 0.5) * binWidthKeV, f.positionErrAdc() * binWidthKeV,
        2.3548200450309493 * f.sigmaAdc() * binWidthKeV, f.netCounts());
  }

  /** The calibration settings of the study (config's calibration section with enabled on, or the defaults). */
  static CalibrationConfig calibration(NudaqConfig base, double windowDays, double maxGainErrPercent) {
    return calibration(base, windowDays, maxGainErrPercent, base.calibration().pulserKeV());
  }

  /** As above, with a pulser line at {@code pulserKeV} used (0: none). */
  static CalibrationConfig calibration(NudaqConfig base, double windowDays, double maxGainErrPercent, double pulserKeV) {
    CalibrationConfig c = base.calibration();
    return new CalibrationConfig(true, c.linesKeV(), pulserKeV, c.terms(), c.intervalHours(), windowDays,
        c.minLineCounts(), c.minLines(), c.searchPercent(), c.stepDays(), c.stepSigmas(), c.stepMinPercent(),
        c.alarmShiftKeV(), maxGainErrPercent);
  }

  /** The three runs of the study. */
  enum Kind {
    ONLINE("online"), UNCALIBRATED("no calibration"), NO_DRIFT("no drift");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    static Kind parse(String s) {
      return switch (s) {
        case "online" -> ONLINE;
        case "uncalibrated" -> UNCALIBRATED;
        case "nodrift" -> NO_DRIFT;
        default -> throw new IllegalArgumentException("--runs takes online, uncalibrated, nodrift; not " + s);
      };
    }
  }

  /**
   * Writes a run's spectra: the configured σ, the months' σ and scale errors (keV), then one line per month and
   * one for the year.
   */
  static void dump(Path file, Run r) throws java.io.IOException {
    StringBuilder b = new StringBuilder().append(r.configuredSigmaKeV()).append('\n');
    for (double v : r.monthSigmaKeV()) {
      b.append(v).append(' ');
    }
    b.append('\n');
    for (Month m : r.months()) {
      b.append(m.scaleErrKeV()).append(' ');
    }
    b.append('\n');
    List<long[]> all = new ArrayList<>(r.monthSpectra());
    all.add(r.yearSpectrum());
    for (long[] c : all) {
      for (long v : c) {
        b.append(v).append(' ');
      }
      b.append('\n');
    }
    Files.writeString(file, b);
  }

  /** Reads what {@link #dump} wrote and fits it. */
  static Run load(Path file, double lowKeV, double binWidthKeV, double widthConstraint) throws java.io.IOException {
    List<String> lines = Files.readAllLines(file);
    double configured = Double.parseDouble(lines.remove(0).trim());
    double[] sigmas = Arrays.stream(lines.get(0).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    double[] scaleErr = Arrays.stream(lines.get(1).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    List<long[]> spectra = new ArrayList<>();
    List<Month> months = new ArrayList<>();
    for (int m = 0; m < sigmas.length; m++) {
      spectra.add(Arrays.stream(lines.get(2 + m).trim().split(" ")).mapToLong(Long::parseLong).toArray());
      months.add(new Month(m + 1, Double.NaN, Double.NaN, Double.NaN, 0, scaleErr[m]));
    }
    long[] year = Arrays.stream(lines.get(2 + sigmas.length).trim().split(" ")).mapToLong(Long::parseLong).toArray();
    return refit(new Run(months, null, new CalibrationHistory(), spectra, year, sigmas, configured), lowKeV, binWidthKeV,
        widthConstraint);
  }

  public static void main(String[] args) throws Exception {
    String path = "config/gemma-1.yaml";
    List<Long> seeds = List.of(1L);
    int months = 12;
    double window = 30;
    double lineScale = 1;
    double maxErr = 0.25;
    double pulserKeV = 0;
    double pulserHz = 0.01;
    double widthConstraint = WIDTH_CONSTRAINT;
    EnumSet<Kind> kinds = EnumSet.allOf(Kind.class);
    Path dump = null;
    Path load = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> path = args[++i];
        case "--seed", "--seeds" -> seeds = Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
        case "--months" -> months = Integer.parseInt(args[++i]);
        case "--window-days" -> window = Double.parseDouble(args[++i]);
        case "--line-scale" -> lineScale = Double.parseDouble(args[++i]);
        case "--max-gain-err" -> maxErr = Double.parseDouble(args[++i]);
        case "--pulser" -> pulserKeV = Double.parseDouble(args[++i]);
        case "--pulser-hz" -> pulserHz = Double.parseDouble(args[++i]);
        case "--width-constraint" -> widthConstraint = Double.parseDouble(args[++i]);
        case "--free-month-fit" -> widthConstraint = Double.POSITIVE_INFINITY;
        case "--runs" -> {
          kinds = EnumSet.noneOf(Kind.class);
          for (String k : args[++i].split(",")) {
            kinds.add(Kind.parse(k));
          }
        }
        case "--dump" -> dump = Path.of(args[++i]);
        case "--load" -> load = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    NudaqConfig base = new ConfigLoader().load(Path.of(path));
    double low = base.analysis().spectrumLowKeV();
    double bw = base.analysis().binWidthKeV();
    CalibrationConfig on = calibration(base, window, maxErr, pulserKeV);
    DriftConfig drift = withPulser(ACCEPTANCE_DRIFT, pulserKeV, pulserHz);
    Map<Kind, int[]> pooled = new EnumMap<>(Kind.class);
    Map<Kind, int[]> pooledFree = new EnumMap<>(Kind.class);
    List<String> perSeed = new ArrayList<>();
    for (long seed : seeds) {
      long t0 = System.nanoTime();
      Map<Kind, Run> runs = new EnumMap<>(Kind.class);
      for (Kind k : kinds) {
        Path file = load == null ? null : load.resolve("seed" + seed + "-" + k.name().toLowerCase(Locale.ROOT) + ".txt");
        Run r;
        if (file != null) {
          r = load(file, low, bw, widthConstraint);
        } else {
          NudaqConfig c = switch (k) {
            case ONLINE -> configFor(base, seed, drift, on, lineScale);
            case UNCALIBRATED -> configFor(base, seed, drift, on.withEnabled(false), lineScale);
            case NO_DRIFT -> configFor(base, seed, withPulser(DriftConfig.NONE, pulserKeV, pulserHz), on.withEnabled(false),
                lineScale);
          };
          r = run(c, months, widthConstraint);
        }
        if (dump != null) {
          Files.createDirectories(dump);
          dump(dump.resolve("seed" + seed + "-" + k.name().toLowerCase(Locale.ROOT) + ".txt"), r);
        }
        runs.put(k, r);
      }
      System.out.printf(Locale.ROOT, "# seed %d, %d months, window %.0f days, lines x%.3g, maxGainErrPercent %.3g, pulser %s, "
          + "month width constraint %s, %.0f s%n", seed, months, window, lineScale, maxErr,
          pulserKeV > 0 ? pulserKeV + " keV at " + pulserHz + " Hz" : "none",
          Double.isFinite(widthConstraint) ? String.format(Locale.ROOT, "±%.0f %%", 100 * widthConstraint) : "none (σ free)",
          (System.nanoTime() - t0) * 1e-9);
      StringBuilder head = new StringBuilder("# month  true-gain");
      for (Kind k : runs.keySet()) {
        head.append(" | ").append(k.label).append(": E  err  pull  FWHM  calibration's-FWHM");
        if (k == Kind.ONLINE) {
          head.append("  scale-err  pull-with-scale");
        }
      }
      System.out.println(head);
      for (int m = 0; m < months; m++) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%2d  %.5f", m + 1,
            drift.gainAt((long) ((m + 0.5) * 30 * DAY_NS))));
        for (Map.Entry<Kind, Run> e : runs.entrySet()) {
          Month a = e.getValue().months().get(m);
          row.append(String.format(Locale.ROOT, " | %.4f %.4f %+5.2f %.3f %.3f", a.energyKeV(), a.energyErrKeV(), a.pull(),
              a.fwhmKeV(), 2.3548200450309493 * e.getValue().monthSigmaKeV()[m]));
          if (e.getKey() == Kind.ONLINE) {
            row.append(String.format(Locale.ROOT, " %.4f %+5.2f", a.scaleErrKeV(), a.pullWithScale()));
          }
        }
        System.out.println(row);
      }
      StringBuilder within = new StringBuilder(String.format(Locale.ROOT, "seed %d within 2.5 sigma:", seed));
      for (Map.Entry<Kind, Run> e : runs.entrySet()) {
        Run r = e.getValue();
        Run free = refit(r, low, bw, Double.POSITIVE_INFINITY);
        int n = (int) Math.round(r.fractionWithin(2.5) * months);
        int nFree = (int) Math.round(free.fractionWithin(2.5) * months);
        pooled.computeIfAbsent(e.getKey(), k -> new int[2])[0] += n;
        pooled.get(e.getKey())[1] += months;
        pooledFree.computeIfAbsent(e.getKey(), k -> new int[2])[0] += nFree;
        pooledFree.get(e.getKey())[1] += months;
        within.append(String.format(Locale.ROOT, " %s %d/%d (all free: %d/%d)", e.getKey().label, n, months, nFree, months));
        if (e.getKey() == Kind.ONLINE) {
          within.append(String.format(Locale.ROOT, " [%d/%d with the scale's error]",
              r.months().stream().filter(mm -> Math.abs(mm.pullWithScale()) <= 2.5).count(), months));
        }
        within.append(';');
      }
      System.out.println(within);
      perSeed.add(within.toString());
      StringBuilder year = new StringBuilder("year (σ free):");
      for (Map.Entry<Kind, Run> e : runs.entrySet()) {
        year.append(String.format(Locale.ROOT, " %s FWHM %.4f keV at %.4f keV;", e.getKey().label,
            e.getValue().year().fwhmKeV(), e.getValue().year().energyKeV()));
      }
      Run ref = runs.get(Kind.NO_DRIFT);
      if (ref != null) {
        for (Map.Entry<Kind, Run> e : runs.entrySet()) {
          if (e.getKey() != Kind.NO_DRIFT) {
            year.append(String.format(Locale.ROOT, " FWHM ratio %s / no drift %.4f;", e.getKey().label,
                e.getValue().year().fwhmKeV() / ref.year().fwhmKeV()));
          }
        }
      }
      System.out.println(year);
      Run online = runs.get(Kind.ONLINE);
      String ch = online == null || online.history().channels().isEmpty() ? null : online.history().channels().get(0);
      if (ch != null) {
        System.out.printf(Locale.ROOT, "calibrations applied %d, steps %d, failed attempts %d%n",
            online.history().applied(ch).size(), online.history().steps(ch), online.history().failures(ch));
        for (double[] st : steps(online.history())) {
          System.out.printf(Locale.ROOT, "step epoch applied at day %.1f, from day %.1f%n", st[0], st[1]);
        }
      }
    }
    System.out.printf(Locale.ROOT, "# pooled over seeds %s:", seeds);
    for (Map.Entry<Kind, int[]> e : pooled.entrySet()) {
      int[] p = e.getValue();
      int[] f = pooledFree.get(e.getKey());
      System.out.printf(Locale.ROOT, " %s %d/%d = %.1f %% (all free: %d/%d = %.1f %%);", e.getKey().label, p[0], p[1],
          100.0 * p[0] / p[1], f[0], f[1], 100.0 * f[0] / f[1]);
    }
    System.out.println();
  }
}
