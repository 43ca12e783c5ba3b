package org.nudaq.monitor.analysis;

import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.config.AnalysisConfig;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.limits.LineTreatment;
import org.nudaq.monitor.physics.BinnedExpectedSpectra;
import org.nudaq.monitor.physics.BinningSpec;
import org.nudaq.monitor.physics.ConfiguredPhysics;
import org.nudaq.monitor.physics.DetectorResponse;
import org.nudaq.monitor.physics.PhysicsModel;

/**
 * The expected rates the limits compare data with: for every detector, the analysis-window bins of
 * its spectra, with the weak rate, the rates for a unit μν² ((1e-11 μB)²) and a unit qν²
 * ((1e-12 e0)²) and the configured flat background, each in counts per day in the bin (folded with
 * the detector's resolution and threshold efficiency, times its mass and the bin width). The
 * detectors' windows are concatenated: bin {@code k} of the arrays belongs to detector
 * {@link #detectorOf(int)}, spectrum bin {@link #spectrumBinOf(int)}.
 *
 * <p><b>Lines.</b> With {@code analysis.lineTreatment: mask} every bin whose energy range overlaps
 * [E − kσ(E), E + kσ(E)] of a configured line (σ the detector's resolution at the line energy E,
 * k = {@code analysis.lineMaskSigmas}) is masked: its μν and qν templates are set to zero, which
 * every limit method and the expected sensitivity read as "no information", so masked bins leave
 * the likelihood, the estimate and the sensitivity alike. The remaining bins keep their full,
 * exact exposure (live time × mass × bin width × efficiency); no bin is partly masked or rescaled.
 * σ(E) is the configured resolution, or with {@link LineWidths} from the online calibration the widest
 * of its epochs' resolution curves (issue 17); {@link #lineMasks()} says which, line by line.
 *
 * <p>Immutable (arrays are copied out); thread-safe.
 */
public final class AnalysisTemplates {
  /** μν of the unit template, μB. */
  public static final double MU_UNIT_MUB = BinnedExpectedSpectra.MU_UNIT_MUB;
  /** qν of the unit template, e0. */
  public static final double Q_UNIT_E0 = BinnedExpectedSpectra.Q_UNIT_E0;

  private final List<String> detectors;
  private final int firstSpectrumBin;
  private final int windowBins;
  private final double[] weakPerDay;
  private final double[] muUnitPerDay;
  private final double[] qUnitPerDay;
  private final double[] backgroundPerDay;
  private final boolean[] masked;
  private final LineTreatment lineTreatment;
  private final LineMasks lineMasks;
  /** The rates before masking (shared by the templates derived with other widths; never written). */
  private final Unmasked unmasked;

  private AnalysisTemplates(Unmasked unmasked, double[] mu, double[] q, boolean[] masked, LineTreatment lineTreatment,
      LineMasks lineMasks) {
    this.unmasked = unmasked;
    this.detectors = List.copyOf(unmasked.detectors());
    this.firstSpectrumBin = unmasked.firstSpectrumBin();
    this.windowBins = unmasked.windowBins();
    this.weakPerDay = unmasked.weak();
    this.muUnitPerDay = mu;
    this.qUnitPerDay = q;
    this.backgroundPerDay = unmasked.background();
    this.masked = masked;
    this.lineTreatment = lineTreatment;
    this.lineMasks = lineMasks;
  }

  /** Builds the templates of every configured detector with the given model. */
  public static AnalysisTemplates of(NudaqConfig config, PhysicsModel model) {
    return of(config, model, lineTreatment(config.analysis()));
  }

  /**
   * Builds the templates with a line treatment other than the configured one (e.g. {@code NONE} to
   * measure what the mask costs).
   */
  public static AnalysisTemplates of(NudaqConfig config, PhysicsModel model, LineTreatment treatment) {
    return of(config, model, model, model, treatment);
  }

  /**
   * Builds the templates with a model per rate: the weak rate from {@code weakModel}, the μν template
   * from {@code muModel} and the qν template from {@code qModel} (each parameter's cross-section
   * model, {@code analysis.crossSections}); the same object twice is folded once.
   */
  public static AnalysisTemplates of(NudaqConfig config, PhysicsModel weakModel, PhysicsModel muModel,
      PhysicsModel qModel, LineTreatment treatment) {
    return of(config, weakModel, muModel, qModel, treatment, LineWidths.configured());
  }

  /**
   * As {@link #of(NudaqConfig, PhysicsModel, PhysicsModel, PhysicsModel, LineTreatment)} with the masks'
   * widths from {@code widths} (issue 17: the online calibration's resolution curves); the templates
   * themselves stay folded with the configured resolution.
   */
  public static AnalysisTemplates of(NudaqConfig config, PhysicsModel weakModel, PhysicsModel muModel,
      PhysicsModel qModel, LineTreatment treatment, LineWidths widths) {
    AnalysisConfig a = config.analysis();
    BinningSpec binning = ConfiguredPhysics.binning(a);
    int first = (int) Math.round((a.windowLowKeV() - a.spectrumLowKeV()) / a.binWidthKeV());
    int end = (int) Math.round((a.windowHighKeV() - a.spectrumLowKeV()) / a.binWidthKeV());
    int perDetector = end - first;
    int n = perDetector * config.detectors().size();
    double[] weak = new double[n];
    double[] mu = new double[n];
    double[] q = new double[n];
    double[] background = new double[n];
    List<String> names = new ArrayList<>();
    List<DetectorResponse> responses = new ArrayList<>();
    int k = 0;
    for (DetectorConfig d : config.detectors()) {
      names.add(d.name());
      DetectorResponse response = ConfiguredPhysics.response(d);
      responses.add(response);
      BinnedExpectedSpectra expected = weakModel.binnedExpectedSpectra(binning, response);
      double[] w = expected.weakPerKeVKgDay();
      double[] m = (muModel == weakModel ? expected : muModel.binnedExpectedSpectra(binning, response))
          .muUnitPerKeVKgDay();
      double[] c = (qModel == weakModel ? expected : qModel == muModel
          ? muModel.binnedExpectedSpectra(binning, response) : qModel.binnedExpectedSpectra(binning, response))
          .qUnitPerKeVKgDay();
      double perBin = d.massKg() * a.binWidthKeV();
      for (int b = first; b < end; b++, k++) {
        weak[k] = w[b] * perBin;
        mu[k] = m[b] * perBin;
        q[k] = c[b] * perBin;
        // The background level is quoted above threshold; near it the trigger efficiency applies too.
        double centre = a.spectrumLowKeV() + (b + 0.5) * a.binWidthKeV();
        background[k] = d.backgroundPerKeVKgDay() * perBin * response.efficiency(centre);
      }
    }
    return masked(new Unmasked(a, names, responses, first, perDetector, weak, mu, q, background), treatment, widths);
  }

  /**
   * These templates with the line masks rebuilt from {@code widths} (issue 17: the online calibration's
   * resolution curves): the same as building them again with those widths, without folding anything again.
   */
  public AnalysisTemplates withLineWidths(LineWidths widths) {
    return masked(unmasked, lineTreatment, widths);
  }

  /** The same rates without any mask (what the nuisance effects of derived limits are built from). */
  AnalysisTemplates withoutMasks() {
    return masked(unmasked, LineTreatment.NONE, LineWidths.configured());
  }

  /** What the masks are applied to: the folded rates before masking, and what the masks need. */
  private record Unmasked(AnalysisConfig analysis, List<String> detectors, List<DetectorResponse> responses,
      int firstSpectrumBin, int windowBins, double[] weak, double[] mu, double[] q, double[] background) {}

  private static AnalysisTemplates masked(Unmasked u, LineTreatment treatment, LineWidths widths) {
    AnalysisConfig a = u.analysis();
    int n = u.mu().length;
    double[] mu = u.mu().clone();
    double[] q = u.q().clone();
    boolean[] masked = new boolean[n];
    List<LineMasks.DetectorMasks> maskReport = new ArrayList<>();
    int k = 0;
    for (int d = 0; d < u.detectors().size(); d++) {
      String name = u.detectors().get(d);
      LineMasks.DetectorMasks dm = detectorMasks(a, name, u.responses().get(d), widths.of(name));
      maskReport.add(dm);
      for (int b = u.firstSpectrumBin(); b < u.firstSpectrumBin() + u.windowBins(); b++, k++) {
        if (treatment == LineTreatment.MASK) {
          double lowKeV = a.spectrumLowKeV() + b * a.binWidthKeV();
          masked[k] = overlapsLine(lowKeV, lowKeV + a.binWidthKeV(), dm);
          if (masked[k]) {
            mu[k] = 0.0;
            q[k] = 0.0;
          }
        }
      }
    }
    return new AnalysisTemplates(u, mu, q, masked, treatment,
        new LineMasks(source(maskReport), a.lineMaskSigmas(), maskReport));
  }

  /** Each configured line's σ and half-width k·σ for one detector: configured, or the widest epoch's. */
  private static LineMasks.DetectorMasks detectorMasks(AnalysisConfig a, String detector, DetectorResponse response,
      LineWidths.Detector calibrated) {
    List<LineMasks.Line> lines = new ArrayList<>();
    for (AnalysisConfig.Line line : a.lines()) {
      double e = line.energyKeV();
      if (calibrated == null) {
        double sigma = response.sigmaKeV(e);
        lines.add(new LineMasks.Line(line.name(), e, sigma, a.lineMaskSigmas() * sigma, null, null));
      } else {
        LineWidths.Epoch w = calibrated.widest(e);
        double sigma = w.resolution().sigmaKeV(e);
        lines.add(new LineMasks.Line(line.name(), e, sigma, a.lineMaskSigmas() * sigma, w.channel(), w.atNs()));
      }
    }
    if (calibrated == null) {
      return new LineMasks.DetectorMasks(detector, "configured", 0, null, null, lines);
    }
    List<LineWidths.Epoch> epochs = calibrated.epochs();
    return new LineMasks.DetectorMasks(detector, "calibration", epochs.size(), epochs.get(0).atNs(),
        epochs.get(epochs.size() - 1).atNs(), lines);
  }

  private static String source(List<LineMasks.DetectorMasks> detectors) {
    boolean anyCalibrated = detectors.stream().anyMatch(d -> d.epochs() > 0);
    boolean allCalibrated = detectors.stream().allMatch(d -> d.epochs() > 0);
    return allCalibrated && anyCalibrated ? "calibration" : anyCalibrated ? "mixed" : "configured";
  }

  /** The limits' name of the configured line treatment (fit is rejected when the config loads). */
  public static LineTreatment lineTreatment(AnalysisConfig a) {
    return switch (a.lineTreatment()) {
      case MASK -> LineTreatment.MASK;
      case NONE -> LineTreatment.NONE;
      case FIT -> throw new IllegalArgumentException("analysis.lineTreatment: fit is not implemented");
    };
  }

  /** Whether [lowKeV, highKeV) overlaps ±k σ(E) of any configured line. */
  private static boolean overlapsLine(double lowKeV, double highKeV, LineMasks.DetectorMasks masks) {
    for (LineMasks.Line line : masks.lines()) {
      double half = line.halfWidthKeV();
      if (highKeV > line.energyKeV() - half && lowKeV < line.energyKeV() + half) {
        return true;
      }
    }
    return false;
  }

  /** The widths of the line masks and where they came from (with {@code none}, what a mask would be). */
  public LineMasks lineMasks() {
    return lineMasks;
  }

  /** The line treatment the templates were built with. */
  public LineTreatment lineTreatment() {
    return lineTreatment;
  }

  /** Whether concatenated bin k is masked (its signal templates are zero). */
  public boolean masked(int k) {
    return masked[k];
  }

  /** Number of masked bins over all detectors. */
  public int maskedBinCount() {
    int c = 0;
    for (boolean m : masked) {
      if (m) {
        c++;
      }
    }
    return c;
  }

  /** The detectors, in the order of their windows. */
  public List<String> detectors() {
    return detectors;
  }

  /** Total number of window bins over all detectors. */
  public int binCount() {
    return weakPerDay.length;
  }

  /** Window bins per detector. */
  public int windowBins() {
    return windowBins;
  }

  /** The first spectrum bin of the analysis window. */
  public int firstSpectrumBin() {
    return firstSpectrumBin;
  }

  /** Detector index of concatenated bin k. */
  public int detectorOf(int k) {
    return k / windowBins;
  }

  /** Spectrum bin of concatenated bin k. */
  public int spectrumBinOf(int k) {
    return firstSpectrumBin + k % windowBins;
  }

  public double[] weakPerDay() {
    return weakPerDay.clone();
  }

  public double[] muUnitPerDay() {
    return muUnitPerDay.clone();
  }

  public double[] qUnitPerDay() {
    return qUnitPerDay.clone();
  }

  public double[] backgroundPerDay() {
    return backgroundPerDay.clone();
  }

  double weak(int k) {
    return weakPerDay[k];
  }

  double muUnit(int k) {
    return muUnitPerDay[k];
  }

  double qUnit(int k) {
    return qUnitPerDay[k];
  }
}
