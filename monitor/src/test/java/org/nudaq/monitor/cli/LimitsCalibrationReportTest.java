package org.nudaq.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.nudaq.monitor.cli.PhysicsCommandTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.hipparchus.random.RandomDataGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.analysis.AnalysisTemplates;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.SpectrumJson;
import org.nudaq.monitor.spectrum.SpectrumLabels;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;

/**
 * Issue 17: {@code nudaq limits --calibration REPORT.json} takes the line masks' widths and the energy-scale
 * constraint from a small hand-written calibration report (the layout of GET /api/calibration), checked against
 * hand numbers (the formulas written out below, the same curves as LineMaskWidthsTest and CalibrationInputsTest);
 * and a bad report is one line naming the file, exit status 2. (That the limits equal the daemon's of the same
 * data: daq-server LimitsFromCalibrationReportTest, with a real drifting run.)
 */
class LimitsCalibrationReportTest {
  private static final String GEMMA1 = "../config/gemma-1.yaml";
  @TempDir static Path dir;
  private static Path onFile;
  private static Path offFile;

  @BeforeAll
  static void spectra() throws Exception {
    NudaqConfig c = new ConfigLoader().load(Path.of(GEMMA1));
    AnalysisTemplates t = ExperimentLimits.forConfig(c).templates();
    RandomDataGenerator rng = new RandomDataGenerator(11);
    long[] on = new long[1000];
    long[] off = new long[1000];
    for (int k = 0; k < t.binCount(); k++) {
      on[t.spectrumBinOf(k)] = rng.nextPoisson(400 * (t.backgroundPerDay()[k] + t.weakPerDay()[k]));
      off[t.spectrumBinOf(k)] = rng.nextPoisson(100 * t.backgroundPerDay()[k]);
    }
    Binning binning = new Binning(0, 0.1, 1000);
    onFile = dir.resolve("on.json");
    offFile = dir.resolve("off.json");
    new SpectrumJson().write(new SpectrumSnapshot(new SpectrumLabels("on", "hpge-1", "on", "after-gates"), binning, 1.5,
        400 * 86400.0, 0, 0, 0, on, Instant.parse("2026-03-01T00:00:00Z")), onFile);
    new SpectrumJson().write(new SpectrumSnapshot(new SpectrumLabels("off", "hpge-1", "off", "after-gates"), binning, 1.5,
        100 * 86400.0, 0, 0, 0, off, Instant.parse("2026-03-01T00:00:00Z")), offFile);
  }

  /** One applied epoch as the report writes it (the fields the limits do not use included, as the daemon's). */
  private static String epoch(String status, long atNs, double gain, double gainErr, double noise, double slope) {
    return String.format(java.util.Locale.ROOT, "{\"status\": \"%s\", \"atNs\": %d, \"windowStartNs\": 0, \"offsetKeV\": 0.0,"
        + " \"offsetErrKeV\": 0.0, \"gainKeVPerAdc\": %s, \"gainErrKeVPerAdc\": %s, \"quadraticKeVPerAdc2\": 0.0,"
        + " \"quadraticErrKeVPerAdc2\": 0.0, \"fwhmKeVAt10_37\": 0.6, \"fwhmNoiseKeV2\": %s, \"fwhmSlopeKeV\": %s,"
        + " \"maxShiftKeV\": \"NaN\", \"message\": \"hand-written\", \"lines\": [], \"validToNs\": null}",
        status, atNs, gain, gainErr, noise, slope);
  }

  private static Path report(String name, String json) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, json);
    return p;
  }

  private static JsonNode line(JsonNode masks, String name) {
    for (JsonNode l : masks.get("detectors").get(0).get("lines")) {
      if (l.get("name").asText().equals(name)) {
        return l;
      }
    }
    throw new AssertionError("no line " + name + " in " + masks);
  }

  private static JsonNode nuisance(JsonNode j, String name) {
    for (JsonNode n : j.get("systematics").get("nuisances")) {
      if (n.get("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no nuisance " + name);
  }

  @Test
  void twoEpochsOfAHandWrittenReportSetTheMasksAndTheGainConstraintByHand() throws Exception {
    // Epoch A (day 1): FWHM² = 0.36 + 0.1·E keV², gain 0.005 ± 5e-6 keV/ADC; epoch B (day 3, a step): FWHM² =
    // 0.64 + 0.002·E, gain 0.005015 ± 1e-5. The widest at each line (they cross at E = 0.28/0.098 = 2.857 keV):
    // Ga K 10.37 from A: FWHM = √(0.36 + 1.037) = 1.181948, σ = FWHM/2.35482 = 0.501927, 3σ = 1.505781 keV,
    // upper edge 11.876 → last masked bin [11.8, 11.9); Ti K 4.97 from A: 3σ = 3·√0.857/2.35482 = 1.179380,
    // lower edge 3.791 → first masked bin [3.7, 3.8): bins 37..118 = 82 masked (configured: 81, [3.6, 11.7)).
    // Ga L 1.30 from B: σ = √(0.64 + 0.0026)/2.35482 = 0.340418 keV.
    // Gain: σ_fit = max(5e-6/0.005 = 0.1 %, 1e-5/0.005015 = 0.199402 %), σ_drift = 0.005015/0.005 − 1 = 0.3 %:
    // σ = √(0.00199402² + 0.003²) = 0.00360224. Offset errors 0 (terms: gain): the configured 0.02 keV stays.
    long dayA = 86_400_000_000_000L;
    long dayB = 3 * dayA;
    Path rep = report("two-epochs.json", "{\"enabled\": true, \"channels\": [{\"channel\": \"board0/ch0\", \"failures\": 0,"
        + " \"steps\": 1, \"latestAttempt\": null, \"epochs\": [" + epoch("calibrated", dayA, 0.005, 5e-6, 0.36, 0.1) + ", "
        + epoch("step", dayB, 0.005015, 1e-5, 0.64, 0.002) + "]}]}");
    String[] r = run("limits", "--config", GEMMA1, "--on", onFile.toString(), "--off", offFile.toString(),
        "--calibration", rep.toString(), "--json");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode j = new ObjectMapper().readTree(r[1]);
    assertThat(j.get("maskedBins").asInt()).isEqualTo(118 - 37 + 1);
    JsonNode masks = j.get("lineMasks");
    assertThat(masks.get("source").asText()).isEqualTo("calibration");
    assertThat(masks.get("from").asText()).isEqualTo("calibration report " + rep + ": 2 epochs of board0/ch0");
    assertThat(masks.get("calibrationReport").asText()).isEqualTo(rep.toString());
    assertThat(masks.get("reportEpochs").asInt()).isEqualTo(2);
    assertThat(masks.get("detectors").get(0).get("epochs").asInt()).isEqualTo(2);
    assertThat(line(masks, "Ga-K").get("halfWidthKeV").asDouble()).isCloseTo(1.505781, within(1e-6));
    assertThat(line(masks, "Ga-K").get("epochAtNs").asLong()).isEqualTo(dayA);
    assertThat(line(masks, "Ti-K").get("halfWidthKeV").asDouble()).isCloseTo(1.179380, within(1e-6));
    assertThat(line(masks, "Ga-L").get("sigmaKeV").asDouble()).isCloseTo(0.340418, within(1e-6));
    assertThat(line(masks, "Ga-L").get("epochAtNs").asLong()).isEqualTo(dayB);
    JsonNode gain = nuisance(j, "energyGain");
    assertThat(gain.get("sigma").asDouble()).isCloseTo(0.00360224, within(1e-8));
    assertThat(gain.get("source").asText()).startsWith("calibration: 2 epochs of board0/ch0");
    assertThat(nuisance(j, "energyOffsetKeV").get("sigma").asDouble()).isEqualTo(0.02);

    // Without --calibration: the configured resolution (81 bins) and the configured 0.5 % gain σ, and it says so.
    JsonNode configured = new ObjectMapper().readTree(run("limits", "--config", GEMMA1, "--on", onFile.toString(),
        "--off", offFile.toString(), "--json")[1]);
    assertThat(configured.get("maskedBins").asInt()).isEqualTo(81);
    assertThat(configured.get("lineMasks").get("from").asText()).isEqualTo("the configured resolution");
    assertThat(configured.get("lineMasks").get("reportEpochs").asInt()).isZero();
    assertThat(nuisance(configured, "energyGain").get("sigma").asDouble()).isEqualTo(0.005);

    // The text form names the source and each line's half-width.
    String[] text = run("limits", "--config", GEMMA1, "--on", onFile.toString(), "--off", offFile.toString(),
        "--calibration", rep.toString());
    assertThat(text[0]).as(text[2]).isEqualTo("0");
    assertThat(text[1]).contains("(82 bins masked)")
        .contains("line masks (±3σ, widths from calibration report " + rep + ": 2 epochs of board0/ch0)")
        .contains("hpge-1 (calibration): ").contains("Ga-K 10.37 ±1.506 keV");
  }

  @Test
  void aRunReportsEpochInForceAtItsStartCountsAsTheFirstEpoch() throws Exception {
    // GET /api/calibration?run=N: the epoch in force when the run began (A, wide above 2.86 keV) and one applied in
    // the run (B): Ga K takes A's 3σ = 1.505781 keV as with both listed in 'epochs'.
    Path rep = report("run.json", "{\"run\": 3, \"dataTimeFromNs\": 2, \"dataTimeToNs\": null, \"channels\": [{\"channel\":"
        + " \"board0/ch0\", \"failures\": 0, \"steps\": 0, \"latestAttempt\": null, \"inForceAtStart\": "
        + epoch("calibrated", 1, 0.005, 5e-6, 0.36, 0.1) + ", \"epochs\": [" + epoch("calibrated", 5, 0.005015, 1e-5, 0.64, 0.002)
        + "]}]}");
    JsonNode j = new ObjectMapper().readTree(run("limits", "--config", GEMMA1, "--on", onFile.toString(), "--off",
        offFile.toString(), "--calibration", rep.toString(), "--json")[1]);
    assertThat(j.get("lineMasks").get("reportEpochs").asInt()).isEqualTo(2);
    assertThat(line(j.get("lineMasks"), "Ga-K").get("halfWidthKeV").asDouble()).isCloseTo(1.505781, within(1e-6));
    assertThat(line(j.get("lineMasks"), "Ga-K").get("epochAtNs").asLong()).isEqualTo(1);
  }

  @Test
  void aBadReportIsOneLineNamingTheFileAndExitStatusTwo() throws Exception {
    Path missing = dir.resolve("no-such-report.json");
    Path garbage = report("garbage.json", "{\"channels\": [ this is not json");
    Path notReport = onFile; // a spectrum: JSON, but no 'channels'
    Path nai = report("nai.json", "{\"channels\": [{\"channel\": \"board0/ch1\", \"epochs\": ["
        + epoch("calibrated", 1, 0.2, 1e-4, 0.36, 0.002) + "]}]}");
    Path otherSetup = report("other.json", "{\"channels\": [{\"channel\": \"board3/ch0\", \"epochs\": ["
        + epoch("calibrated", 1, 0.005, 5e-6, 0.36, 0.002) + "]}]}");
    Path noEpochs = report("none.json", "{\"enabled\": true, \"channels\": [{\"channel\": \"board0/ch0\", \"failures\": 4,"
        + " \"steps\": 0, \"latestAttempt\": null, \"epochs\": []}]}");
    Path noChannels = report("disabled.json", "{\"enabled\": false, \"channels\": []}");
    Path noSlope = report("no-slope.json", "{\"channels\": [{\"channel\": \"board0/ch0\", \"epochs\": ["
        + epoch("calibrated", 1, 0.005, 5e-6, 0.36, 0.002).replace("\"fwhmSlopeKeV\"", "\"slope\"") + "]}]}");
    Path failed = report("failed.json", "{\"channels\": [{\"channel\": \"board0/ch0\", \"epochs\": ["
        + epoch("fit-failed", 1, 0.005, 5e-6, 0.36, 0.002) + "]}]}");
    Path backwards = report("backwards.json", "{\"channels\": [{\"channel\": \"board0/ch0\", \"epochs\": ["
        + epoch("calibrated", 9, 0.005, 5e-6, 0.36, 0.002) + ", " + epoch("calibrated", 4, 0.005, 5e-6, 0.36, 0.002) + "]}]}");
    Object[][] cases = {
        {missing, missing + ": no such file"},
        {dir, dir + ": is a directory, not a calibration report"},
        {garbage, garbage + ": not JSON (line 1, column "},
        {notReport, notReport + ": not a calibration report (no 'channels' list"},
        {nai, nai + ": channel board0/ch1 is not an HPGe channel of the configuration (its HPGe channels: board0/ch0)"},
        {otherSetup, otherSetup + ": channel board3/ch0 is not an HPGe channel of the configuration"},
        {noEpochs, noEpochs + ": no applied calibration epoch (every channel's 'epochs' is empty)"},
        {noChannels, noChannels + ": no applied calibration epoch (no channel)"},
        {noSlope, noSlope + ": channel board0/ch0 epochs[0]: no finite number 'fwhmSlopeKeV'"},
        {failed, failed + ": channel board0/ch0 epochs[0]: status 'fit-failed' is not an applied calibration"},
        {backwards, backwards + ": channel board0/ch0 epochs[1]: atNs 4 is before the epoch listed before it (9)"},
    };
    for (Object[] c : cases) {
      String[] r = run("limits", "--config", GEMMA1, "--on", onFile.toString(), "--off", offFile.toString(),
          "--calibration", c[0].toString(), "--json");
      assertThat(r[0]).as("exit status for %s: %s", c[0], r[2]).isEqualTo("2");
      assertThat(r[1]).as("nothing on stdout for %s", c[0]).isEmpty();
      assertThat(r[2]).as("error for %s", c[0]).startsWith("nudaq limits: --calibration " + c[1])
          .endsWith(" (see --help)" + System.lineSeparator()).doesNotContain("\tat ").doesNotContain("Exception");
      assertThat(r[2].strip().lines()).as("one line: %s", r[2]).hasSize(1);
    }
  }
}
