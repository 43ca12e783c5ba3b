package org.nudaq.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.nudaq.monitor.cli.PhysicsCommandTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.hipparchus.random.RandomDataGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.analysis.AnalysisTemplates;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.analysis.SystematicFitter;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.SpectrumJson;
import org.nudaq.monitor.spectrum.SpectrumLabels;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;

class LimitsCommandsTest {
  private static final String GEMMA1 = "../config/gemma-1.yaml";

  @Test
  void sensitivityPrintsTheDocumentedKeysWithinAFactorTwoOfGemmaOne() throws Exception {
    // Without the line mask: the model against the published numbers (the mask's cost is in
    // ExperimentLimitsTest and docs/analysis.md).
    String[] r = run("sensitivity", "--config", GEMMA1, "--json", "--lines", "NONE");
    assertThat(r[0]).isEqualTo("0");
    JsonNode j = new ObjectMapper().readTree(r[1]);
    assertThat(j.get("lineTreatment").asText()).isEqualTo("NONE");
    assertThat(j.get("muLimit90").asDouble() / 2.9e-11).isBetween(0.5, 2.0);
    assertThat(j.get("qLimit90").asDouble() / 2.7e-12).isBetween(0.5, 2.0);
    assertThat(j.get("muBand")).hasSize(2);
    assertThat(j.get("qBand")).hasSize(2);
    assertThat(j.get("method").asText()).isEqualTo("FELDMAN_COUSINS");
    // eq. 6 from the expected μν limit: sqrt(2.8/(2·510.99895))·μ.
    assertThat(j.get("thresholdEstimateQ").asDouble())
        .isCloseTo(Math.sqrt(2.8 / 1021.9979) * j.get("muLimit90").asDouble(), within(1e-16));
  }

  @Test
  void sensitivityImprovesAsTheFourthRootOfExposureWhenBothStatesScale() throws Exception {
    JsonNode a = new ObjectMapper().readTree(run("sensitivity", "--config", GEMMA1, "--on-hours", "1000", "--off-hours", "250", "--json")[1]);
    JsonNode b = new ObjectMapper().readTree(run("sensitivity", "--config", GEMMA1, "--on-hours", "16000", "--off-hours", "4000", "--json")[1]);
    // σ_X ∝ 1/√t, limit on μ ∝ √σ_X ∝ t^(−1/4): 16× the exposure halves the μ limit.
    assertThat(a.get("muLimit90").asDouble() / b.get("muLimit90").asDouble()).isCloseTo(2.0, within(1e-6));
  }

  @Test
  void limitsFromSavedSpectraAgreeWithTheLibraryAndPrintTheDocumentedKeys(@TempDir Path dir) throws Exception {
    NudaqConfig c = new ConfigLoader().load(Path.of(GEMMA1));
    ExperimentLimits limits = ExperimentLimits.forConfig(c);
    AnalysisTemplates t = limits.templates();
    RandomDataGenerator rng = new RandomDataGenerator(5);
    long[] on = new long[1000];
    long[] off = new long[1000];
    double[] b = t.backgroundPerDay();
    double[] w = t.weakPerDay();
    for (int k = 0; k < t.binCount(); k++) {
      on[t.spectrumBinOf(k)] = rng.nextPoisson(400 * (b[k] + w[k]));
      off[t.spectrumBinOf(k)] = rng.nextPoisson(100 * b[k]);
    }
    Binning binning = new Binning(0, 0.1, 1000);
    SpectrumSnapshot onS = new SpectrumSnapshot(new SpectrumLabels("on", "hpge-1", "on", "after-gates"), binning, 1.5,
        400 * 86400.0, 0, 0, 0, on, Instant.parse("2026-03-01T00:00:00Z"));
    SpectrumSnapshot offS = new SpectrumSnapshot(new SpectrumLabels("off", "hpge-1", "off", "after-gates"), binning, 1.5,
        100 * 86400.0, 0, 0, 0, off, Instant.parse("2026-03-01T00:00:00Z"));
    Path onFile = dir.resolve("on.json");
    Path offFile = dir.resolve("off.json");
    new SpectrumJson().write(onS, onFile);
    new SpectrumJson().write(offS, offFile);

    String[] r = run("limits", "--config", GEMMA1, "--on", onFile.toString(), "--off", offFile.toString(), "--json");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode j = new ObjectMapper().readTree(r[1]);
    ExperimentResult direct = limits.update(List.of(onS), List.of(offS), Instant.EPOCH);
    assertThat(j.get("muHat2").asDouble()).isEqualTo(direct.muHat2());
    assertThat(j.get("muSigma2").asDouble()).isEqualTo(direct.muSigma2());
    assertThat(j.get("muLimit90").asDouble()).isEqualTo(direct.muLimit());
    assertThat(j.get("qHat2").asDouble()).isEqualTo(direct.qHat2());
    assertThat(j.get("qSigma2").asDouble()).isEqualTo(direct.qSigma2());
    assertThat(j.get("qLimit90").asDouble()).isEqualTo(direct.qLimit());
    assertThat(j.get("method").asText()).isEqualTo("FELDMAN_COUSINS");
    // Item 3 of issue 16: every result carries estimate ± σ, interval, significance, method, cross section,
    // nuisances and exposure; the systematic part and the joint fit with their documented keys.
    for (String p : new String[] {"mu", "q"}) {
      JsonNode x = j.get(p);
      for (String key : new String[] {"hat2", "sigma2", "limit", "lowerLimit", "interval", "significance", "method",
          "crossSection", "nuisances"}) {
        assertThat(x.has(key)).as(p + "." + key).isTrue();
      }
      assertThat(x.get("crossSection").asText()).startsWith("stepping");
    }
    assertThat(j.get("mu").get("hat2").asDouble()).isEqualTo(direct.muHat2());
    assertThat(j.get("onExposureKgDays").asDouble()).isEqualTo(direct.onExposureKgDays());
    JsonNode sys = j.get("systematics");
    assertThat(sys.get("nuisances")).hasSize(8);
    assertThat(sys.get("nuisances").get(0).get("name").asText()).isEqualTo("fluxNormalisation");
    for (String key : new String[] {"sigma", "unit", "constraint", "source", "pull", "alone", "impactMuSigma2",
        "impactQSigma2"}) {
      assertThat(sys.get("nuisances").get(0).has(key)).as(key).isTrue();
    }
    assertThat(sys.get("mu").get("withSystematics").get("limit").asDouble())
        .isGreaterThan(sys.get("mu").get("statOnly").get("limit").asDouble());
    JsonNode joint = sys.get("joint");
    for (String key : new String[] {"method", "muHat2", "muSigma2", "qHat2", "qSigma2", "correlation", "covariance",
        "muHat2Physical", "qHat2Physical", "significance", "muLimit", "qLimit", "contour", "statOnly"}) {
      assertThat(joint.has(key)).as("joint." + key).isTrue();
    }
    assertThat(joint.get("correlation").asDouble())
        .isCloseTo(direct.systematics().joint().correlation(), org.assertj.core.api.Assertions.within(1e-12));
    assertThat(joint.get("contour").get("muHat2")).hasSize(SystematicFitter.CONTOUR_GRID);
    String[] text = run("limits", "--config", GEMMA1, "--on", onFile.toString(), "--off", offFile.toString());
    assertThat(text[1]).contains("significance").contains("fluxNormalisation").contains("joint, all nuisances")
        .contains("cross section: stepping").contains("exposure: ON");

    String[] swapped = run("limits", "--config", GEMMA1, "--on", offFile.toString(), "--off", onFile.toString());
    assertThat(swapped[0]).isEqualTo("2");
    assertThat(swapped[2]).contains("--on " + offFile + ": the spectrum is reactor off, expected on");
  }

  @Test
  void fewCountsSwitchToTheMergedBinLikelihood(@TempDir Path dir) throws Exception {
    long[] on = new long[1000];
    long[] off = new long[1000];
    on[100] = 3;
    off[100] = 1;
    Binning binning = new Binning(0, 0.1, 1000);
    Path onFile = dir.resolve("on.json");
    Path offFile = dir.resolve("off.json");
    new SpectrumJson().write(new SpectrumSnapshot(new SpectrumLabels("on", "hpge-1", "on", "after-gates"), binning, 1.5,
        86400.0, 0, 0, 0, on, Instant.EPOCH), onFile);
    new SpectrumJson().write(new SpectrumSnapshot(new SpectrumLabels("off", "hpge-1", "off", "after-gates"), binning, 1.5,
        86400.0, 0, 0, 0, off, Instant.EPOCH), offFile);
    JsonNode j = new ObjectMapper().readTree(run("limits", "--config", GEMMA1, "--on", onFile.toString(), "--off", offFile.toString(), "--json")[1]);
    assertThat(j.get("method").asText()).isEqualTo("REBINNED_PROFILE_LIKELIHOOD");
    assertThat(j.get("lineTreatment").asText()).isEqualTo("MASK");
    assertThat(j.get("intervalBins").asInt()).isEqualTo(1); // 1 OFF count in all: one merged bin
    assertThat(j.get("muLimit90").asDouble()).isPositive();
  }
}
