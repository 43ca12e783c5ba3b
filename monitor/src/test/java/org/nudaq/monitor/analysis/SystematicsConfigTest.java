package org.nudaq.monitor.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.hipparchus.random.RandomDataGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigException;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SystematicsConfig;
import org.nudaq.monitor.config.SystematicsConfig.Source;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.SpectrumLabels;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;

/** {@code analysis.systematics} and {@code analysis.crossSections}: binding, errors, and what they do to a result. */
class SystematicsConfigTest {
  private static final String BASE = """
      experiment: test
      reactor:
        thermalPowerMW: 3000
        distanceM: 13.9
      detectors:
        - name: hpge-1
          massKg: 1.5
          thresholdKeV: 2.8
          noiseFwhmKeV: 1.0
          backgroundPerKeVKgDay: 2.5
      analysis:
        windowHighKeV: 30
      """;
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void defaultsAndOverridesBind() {
    NudaqConfig d = loader.parse("x.yaml", BASE);
    assertThat(d.analysis().systematics()).isEqualTo(SystematicsConfig.defaults());
    NudaqConfig c = loader.parse("x.yaml", BASE + """
          systematics:
            fluxNormalisation: {sigma: 0.03, constraint: gaussian}
            thresholdWidth: {sigma: 0}
          crossSections:
            mu: {model: free}
        """);
    SystematicsConfig s = c.analysis().systematics();
    assertThat(s.sources().get(Source.FLUX_NORMALISATION))
        .isEqualTo(new SystematicsConfig.Constraint(0.03, SystematicsConfig.Shape.GAUSSIAN));
    assertThat(s.sources().get(Source.THRESHOLD_WIDTH).sigma()).isZero();
    assertThat(s.sources().get(Source.ENERGY_GAIN).sigma()).isEqualTo(0.005);
    assertThat(c.analysis().crossSections().mu().model())
        .isEqualTo(org.nudaq.monitor.config.CrossSectionConfig.Model.FREE);
    assertThat(c.analysis().crossSections().q().model()).isNull();
  }

  @Test
  void badSettingsNameTheirKey() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("x.yaml", BASE + """
          systematics:
            fluxNormalisation: {sigma: 2, constraint: lognormal}
            fluxNormalization: {sigma: 0.1}
          crossSections:
            q: {model: mcrrpa}
        """));
    assertThat(e.getMessage())
        .contains("x.yaml: analysis.systematics.fluxNormalisation.sigma: must be between 0 and 1, got 2")
        .contains("analysis.systematics.fluxNormalisation.constraint: must be one of [gaussian, log-normal], got 'lognormal'")
        .contains("analysis.systematics.fluxNormalization: unknown key")
        .contains("analysis.crossSections.q.model: must be one of [free, stepping], got 'mcrrpa'");
  }

  /**
   * A tabulated model of ratio 1 on free electrons is the free-electron model: with {@code q.model: free}
   * the alternative's result equals the main one (an end-to-end check of the table's path through the
   * configuration, the folding and the fit); the switched-off nuisance is not in the fit; the labels
   * name the models.
   */
  @Test
  void aUnitTableReproducesTheFreeElectronResult(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ones.csv"), "# source: unit ratio\n0.1, 1\n100, 1\n");
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, BASE + """
          systematics:
            thresholdWidth: {sigma: 0}
          crossSections:
            q: {model: free, atomicResponseTable: ones.csv}
        """);
    NudaqConfig c = loader.load(f);
    ExperimentLimits limits = ExperimentLimits.forConfig(c);
    AnalysisTemplates t = limits.templates();
    Binning binning = new Binning(c.analysis().spectrumLowKeV(), c.analysis().binWidthKeV(), c.analysis().binCount());
    long[] on = new long[binning.binCount()];
    long[] off = new long[binning.binCount()];
    double[] b = t.backgroundPerDay();
    double[] w = t.weakPerDay();
    double[] q = t.qUnitPerDay();
    RandomDataGenerator random = new RandomDataGenerator(3);
    for (int k = 0; k < t.binCount(); k++) {
      on[t.spectrumBinOf(k)] = random.nextPoisson(400 * (b[k] + w[k] + 20 * q[k]));
      off[t.spectrumBinOf(k)] = random.nextPoisson(100 * b[k]);
    }
    ExperimentResult r = limits.update(List.of(snapshot(binning, on, 400, "on")), List.of(snapshot(binning, off, 100, "off")),
        Instant.EPOCH);
    SystematicResult s = r.systematics();
    assertThat(s.sources()).hasSize(7).doesNotContain(Source.THRESHOLD_WIDTH);
    assertThat(s.qCrossSection()).isEqualTo(CrossSectionModels.FREE_LABEL);
    assertThat(s.muCrossSection()).isEqualTo(CrossSectionModels.STEPPING_LABEL);
    assertThat(s.alternatives()).hasSize(1);
    SystematicResult.Alternative a = s.alternatives().get(0);
    assertThat(a.parameter()).isEqualTo("q");
    assertThat(a.model()).contains("ones.csv").contains("unit ratio");
    assertThat(a.statOnly().hat()).isCloseTo(s.statOnly().q().hat(), within(1e-6 * s.statOnly().q().sigma()));
    assertThat(a.statOnly().upper()).isCloseTo(s.statOnly().q().upper(), within(1e-6 * s.statOnly().q().upper()));
    assertThat(a.withSystematics().upper()).isCloseTo(s.joint().q().upper(), within(1e-6 * s.joint().q().upper()));
  }

  @Test
  void aBadTableIsAConfigurationErrorNamingKeyFileAndLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("bad.csv"), "0.1, 1\n0.05, 2\n");
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, BASE + "  crossSections:\n    q: {atomicResponseTable: bad.csv}\n");
    NudaqConfig c = loader.load(f);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ExperimentLimits.forConfig(c));
    assertThat(e.getMessage()).isEqualTo(f + ": analysis.crossSections.q.atomicResponseTable: " + dir.resolve("bad.csv")
        + ":2: recoilKeV must increase, got 0.05 after 0.1");
  }

  private static SpectrumSnapshot snapshot(Binning binning, long[] counts, double days, String state) {
    return new SpectrumSnapshot(new SpectrumLabels(state, "hpge-1", state, "after-gates"), binning, 1.5,
        days * 86400.0, 0, 0, 0, counts, Instant.EPOCH);
  }
}
