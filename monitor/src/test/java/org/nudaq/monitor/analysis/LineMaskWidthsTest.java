package org.nudaq.monitor.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.calibration.ResolutionCurve;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.limits.LineTreatment;

/**
 * Issue 17: the line masks take their widths from the online calibration's resolution curves, the widest
 * epoch per line, and say so. The edges are computed by hand from FWHM(E) = √(noise + slope·E),
 * σ = FWHM/2.35482 and k = 3 on GEMMA-I's window (2.8–55 keV in 0.1 keV bins, window bin k = spectrum
 * bin 28 + k).
 */
class LineMaskWidthsTest {
  private static NudaqConfig gemma1;
  private static CrossSectionModels models;

  @BeforeAll
  static void load() {
    gemma1 = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    models = CrossSectionModels.of(gemma1);
  }

  private static AnalysisTemplates templates(LineWidths widths) {
    return AnalysisTemplates.of(gemma1, models.weak(), models.mu(), models.q(), LineTreatment.MASK, widths);
  }

  private static boolean maskedSpectrumBin(AnalysisTemplates t, int spectrumBin) {
    return t.masked(spectrumBin - t.firstSpectrumBin());
  }

  private static LineMasks.Line line(LineMasks m, String name) {
    return m.detectors().get(0).lines().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void configuredWidthsAreTheMasksAsBefore() {
    AnalysisTemplates t = templates(LineWidths.configured());
    // docs/analysis.md: GEMMA-I (noise FWHM 1.0 keV) masks 81 bins, [3.6, 3.7) to [11.6, 11.7) keV.
    assertThat(t.maskedBinCount()).isEqualTo(81);
    assertThat(t.lineMasks().source()).isEqualTo("configured");
    assertThat(t.lineMasks().detectors().get(0).epochs()).isZero();
    assertThat(line(t.lineMasks(), "Ga-K").epochAtNs()).isNull();
  }

  @Test
  void oneEpochsCurveSetsTheMaskEdgesByHand() {
    // FWHM² = 0.36 keV² + 0.002 keV · E. Ga K 10.37: FWHM = √0.38074 = 0.617041, σ = 0.262033, 3σ = 0.786100,
    // upper edge 11.156 keV → last masked bin [11.1, 11.2) (spectrum bin 111). Ti K 4.97: FWHM = √0.36994 =
    // 0.608227, σ = 0.258290, 3σ = 0.774871, lower edge 4.195 → first masked bin [4.1, 4.2) (bin 41). The K
    // lines between are less than 2·3σ apart (largest gap 7.11 → 8.33 keV, 1.22 keV < 1.55): one region,
    // bins 41..111 = 71 bins. Ga L 1.30 (+0.77 keV) stays below the 2.8 keV window.
    LineWidths w = new LineWidths(List.of(new LineWidths.Detector("hpge-1",
        List.of(new LineWidths.Epoch("board0/ch0", 86_400_000_000_000L, new ResolutionCurve(0.36, 0.002))))));
    AnalysisTemplates t = templates(w);
    assertThat(line(t.lineMasks(), "Ga-K").halfWidthKeV()).isCloseTo(0.786100, within(1e-6));
    assertThat(line(t.lineMasks(), "Ga-K").sigmaKeV()).isCloseTo(0.262033, within(1e-6));
    assertThat(line(t.lineMasks(), "Ti-K").halfWidthKeV()).isCloseTo(0.774871, within(1e-6));
    assertThat(maskedSpectrumBin(t, 111)).isTrue();
    assertThat(maskedSpectrumBin(t, 112)).isFalse();
    assertThat(maskedSpectrumBin(t, 41)).isTrue();
    assertThat(maskedSpectrumBin(t, 40)).isFalse();
    assertThat(t.maskedBinCount()).isEqualTo(71);
    assertThat(t.lineMasks().source()).isEqualTo("calibration");
    LineMasks.DetectorMasks d = t.lineMasks().detectors().get(0);
    assertThat(d.source()).isEqualTo("calibration");
    assertThat(d.epochs()).isEqualTo(1);
    assertThat(line(t.lineMasks(), "Ga-K").epochAtNs()).isEqualTo(86_400_000_000_000L);
    assertThat(line(t.lineMasks(), "Ga-K").channel()).isEqualTo("board0/ch0");
  }

  @Test
  void severalEpochsTakeTheWidestAtEachLine() {
    // A: FWHM² = 0.36 + 0.1·E; B: 0.64 + 0.002·E. They cross at E = 0.28/0.098 = 2.857 keV: A is wider above
    // (Ga K: A 1.181948 against B 0.812859 keV FWHM), B below (Ga L 1.30: B 0.801623 against A 0.7).
    // Ga K with A: σ = 0.501927, 3σ = 1.505781, upper edge 11.876 → last masked bin [11.8, 11.9) (bin 118).
    // Ti K with A: 3σ = 1.179380, lower edge 3.791 → first masked bin [3.7, 3.8) (bin 37).
    LineWidths.Epoch a = new LineWidths.Epoch("board0/ch0", 1_000_000_000L, new ResolutionCurve(0.36, 0.1));
    LineWidths.Epoch b = new LineWidths.Epoch("board0/ch0", 2_000_000_000L, new ResolutionCurve(0.64, 0.002));
    AnalysisTemplates t = templates(new LineWidths(List.of(new LineWidths.Detector("hpge-1", List.of(a, b)))));
    LineMasks m = t.lineMasks();
    assertThat(line(m, "Ga-K").epochAtNs()).isEqualTo(1_000_000_000L);
    assertThat(line(m, "Ga-K").halfWidthKeV()).isCloseTo(1.505781, within(1e-6));
    assertThat(line(m, "Ga-L").epochAtNs()).isEqualTo(2_000_000_000L);
    assertThat(line(m, "Ga-L").sigmaKeV()).isCloseTo(0.340418, within(1e-6));
    assertThat(maskedSpectrumBin(t, 118)).isTrue();
    assertThat(maskedSpectrumBin(t, 119)).isFalse();
    assertThat(maskedSpectrumBin(t, 37)).isTrue();
    assertThat(maskedSpectrumBin(t, 36)).isFalse();
    assertThat(t.maskedBinCount()).isEqualTo(118 - 37 + 1);
    assertThat(m.detectors().get(0).epochs()).isEqualTo(2);
    assertThat(m.detectors().get(0).firstEpochAtNs()).isEqualTo(1_000_000_000L);
    assertThat(m.detectors().get(0).lastEpochAtNs()).isEqualTo(2_000_000_000L);
    // Either epoch alone masks less: the widest is safe for both.
    AnalysisTemplates onlyB = templates(new LineWidths(List.of(new LineWidths.Detector("hpge-1", List.of(b)))));
    assertThat(onlyB.maskedBinCount()).isLessThan(t.maskedBinCount());
  }

  @Test
  void limitsDerivedFromTheModelEqualABuildFromScratch() {
    // The online calibration's path (ExperimentLimits.Model: fold once, derive per change) against forConfig
    // with the same widths and an energy-gain σ of 0.0036 instead of the configured 0.005.
    LineWidths w = new LineWidths(List.of(new LineWidths.Detector("hpge-1", List.of(
        new LineWidths.Epoch("board0/ch0", 1L, new ResolutionCurve(0.36, 0.1)),
        new LineWidths.Epoch("board0/ch0", 2L, new ResolutionCurve(0.64, 0.002))))));
    org.nudaq.monitor.config.SystematicsConfig s = gemma1.analysis().systematics()
        .withMeasured(org.nudaq.monitor.config.SystematicsConfig.Source.ENERGY_GAIN, 0.0036, "calibration: test");
    ExperimentLimits derived = ExperimentLimits.Model.of(gemma1).limits(s, w);
    ExperimentLimits scratch = ExperimentLimits.forConfig(gemma1, LineTreatment.MASK, s, w);
    assertThat(derived.templates().maskedBinCount()).isEqualTo(118 - 37 + 1);
    assertThat(derived.templates().muUnitPerDay()).containsExactly(scratch.templates().muUnitPerDay());
    assertThat(derived.templates().qUnitPerDay()).containsExactly(scratch.templates().qUnitPerDay());
    assertThat(derived.templates().lineMasks()).isEqualTo(scratch.templates().lineMasks());
    SystematicTemplates a = derived.systematicFitter().templates();
    SystematicTemplates b = scratch.systematicFitter().templates();
    assertThat(a.sources()).isEqualTo(b.sources());
    assertThat(a.constraints()).isEqualTo(b.constraints());
    for (int j = 0; j < a.count(); j++) {
      for (int i = 0; i < a.gs()[j].length; i++) {
        double scale = Math.abs(b.gs()[j][i]) + Math.abs(b.g0()[j][i]) + Math.abs(b.gc()[j][i]) + 1e-300;
        assertThat(a.g0()[j][i]).isCloseTo(b.g0()[j][i], within(1e-12 * scale));
        assertThat(a.gs()[j][i]).isCloseTo(b.gs()[j][i], within(1e-12 * scale));
        assertThat(a.gc()[j][i]).isCloseTo(b.gc()[j][i], within(1e-12 * scale));
      }
    }
    // And the configured inputs give the configured limits' masks (81 bins) from the same model.
    assertThat(ExperimentLimits.Model.of(gemma1).limits(gemma1.analysis().systematics(), LineWidths.configured())
        .templates().maskedBinCount()).isEqualTo(81);
  }

  @Test
  void theResultNamesTheWidthsAndTheJsonCarriesThem() {
    LineWidths w = new LineWidths(List.of(new LineWidths.Detector("hpge-1",
        List.of(new LineWidths.Epoch("board0/ch0", 5L, new ResolutionCurve(0.36, 0.002))))));
    ExperimentLimits limits = ExperimentLimits.forConfig(gemma1, LineTreatment.MASK,
        org.nudaq.monitor.config.SystematicsConfig.none(), w);
    assertThat(limits.templates().maskedBinCount()).isEqualTo(71);
    ExperimentResult r = new ExperimentResult(null, null, 0.9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null,
        null, 0, 0, null, limits.templates().lineMasks());
    java.util.Map<String, Object> doc = ResultDocument.lineMasks(r);
    assertThat(doc.get("source")).isEqualTo("calibration");
    assertThat(doc.get("sigmas")).isEqualTo(3.0);
  }
}
