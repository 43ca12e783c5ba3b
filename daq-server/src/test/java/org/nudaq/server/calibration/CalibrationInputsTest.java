package org.nudaq.server.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.analysis.CalibrationInputs;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.LineWidths;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.CalibrationCodec;
import org.nudaq.monitor.calibration.CalibrationStatus;
import org.nudaq.monitor.calibration.EnergyScale;
import org.nudaq.monitor.calibration.ResolutionCurve;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SystematicsConfig.Source;

/**
 * Issue 17: what the limits take from the applied calibrations (line widths, energy-scale constraints), by
 * the pipeline data time at which each was applied, against hand numbers; and the limits model rebuilt only
 * when that changes.
 */
class CalibrationInputsTest {
  private static final long DAY_NS = 86_400_000_000_000L;
  private static NudaqConfig gemma1;

  @BeforeAll
  static void load() {
    gemma1 = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
  }

  private static CalibrationCodec.Change change(long atNs, double gain, double gainErr, double offsetKeV,
      double offsetErrKeV, ResolutionCurve r) {
    return new CalibrationCodec.Change(0, 0, new Calibration(CalibrationStatus.CALIBRATED, atNs, atNs - DAY_NS,
        new EnergyScale(offsetKeV, gain, offsetErrKeV, gainErr, 0, 0, 1), r, List.of(), 0, "test"));
  }

  @Test
  void withoutEpochsEverythingIsConfigured() {
    CalibrationInputs in = CalibratedLimits.inputsAt(gemma1, new CalibrationHistory(), Long.MAX_VALUE);
    assertThat(in.widths().isConfigured()).isTrue();
    assertThat(in.isConfigured(gemma1)).isTrue();
    assertThat(in.systematics().sources().get(Source.ENERGY_GAIN).measuredBy()).isNull();
  }

  @Test
  void gainConstraintFromTheFittedErrorsAndTheEpochToEpochChanges() {
    CalibrationHistory h = new CalibrationHistory();
    ResolutionCurve r1 = new ResolutionCurve(0.9, 0.002);
    ResolutionCurve r2 = new ResolutionCurve(1.1, 0.002);
    // Epoch 1: gain 0.005 keV/ADC ± 5e-6 (0.1 %); epoch 2: 0.005015 (+0.3 %) ± 1e-5 (0.19940 %).
    h.applied(change(DAY_NS, 0.005, 5e-6, 0, 0, r1), 2 * DAY_NS);
    h.applied(change(3 * DAY_NS, 0.005015, 1e-5, 0, 0, r2), 4 * DAY_NS);

    // Before the second was applied (pipeline data time 3.5 days): one epoch, σ = its 0.1 %, no change yet.
    CalibrationInputs early = CalibratedLimits.inputsAt(gemma1, h, 3 * DAY_NS + DAY_NS / 2);
    assertThat(early.systematics().sources().get(Source.ENERGY_GAIN).sigma()).isCloseTo(0.001, within(1e-12));
    assertThat(early.widths().of("hpge-1").epochs()).hasSize(1);

    // Both: σ_fit = max(0.1 %, 1e-5/0.005015 = 0.199402 %), σ_drift = 0.3 %: √(0.00199402² + 0.003²) = 0.00360224.
    CalibrationInputs both = CalibratedLimits.inputsAt(gemma1, h, 4 * DAY_NS);
    assertThat(both.systematics().sources().get(Source.ENERGY_GAIN).sigma()).isCloseTo(0.00360224, within(1e-8));
    assertThat(both.systematics().sources().get(Source.ENERGY_GAIN).measuredBy())
        .startsWith("calibration: 2 epochs of board0/ch0").contains("0.1994 %").contains("0.3000 %");
    // terms: gain (no offset error): the offset keeps its configured σ.
    assertThat(both.systematics().sources().get(Source.ENERGY_OFFSET).measuredBy()).isNull();
    assertThat(both.systematics().sources().get(Source.ENERGY_OFFSET).sigma())
        .isEqualTo(gemma1.analysis().systematics().sources().get(Source.ENERGY_OFFSET).sigma());
    LineWidths.Detector d = both.widths().of("hpge-1");
    assertThat(d.epochs()).extracting(LineWidths.Epoch::resolution).containsExactly(r1, r2);
    assertThat(d.widest(10.37).atNs()).isEqualTo(3 * DAY_NS);
    assertThat(both.isConfigured(gemma1)).isFalse();
  }

  @Test
  void offsetConstraintWhenTheEpochsFittedIt() {
    CalibrationHistory h = new CalibrationHistory();
    ResolutionCurve r = new ResolutionCurve(1.0, 0.002);
    h.applied(change(DAY_NS, 0.005, 5e-6, 0.010, 0.004, r), DAY_NS);
    h.applied(change(2 * DAY_NS, 0.005, 5e-6, 0.016, 0.003, r), 2 * DAY_NS);
    // σ = √(max(0.004, 0.003)² + (0.016 − 0.010)²) = √(1.6e-5 + 3.6e-5) = 0.00721110 keV.
    CalibrationInputs in = CalibratedLimits.inputsAt(gemma1, h, 2 * DAY_NS);
    assertThat(in.systematics().sources().get(Source.ENERGY_OFFSET).sigma()).isCloseTo(0.00721110, within(1e-8));
    assertThat(in.systematics().sources().get(Source.ENERGY_OFFSET).measuredBy()).startsWith("calibration: 2 epochs");
  }

  @Test
  void theModelIsRebuiltOnlyWhenTheInputsChange() {
    CalibrationHistory h = new CalibrationHistory();
    ExperimentLimits configured = ExperimentLimits.forConfig(gemma1);
    CalibratedLimits limits = new CalibratedLimits(gemma1, configured, h);
    assertThat(limits.limitsAt(DAY_NS)).isSameAs(configured);
    h.applied(change(DAY_NS, 0.005, 5e-6, 0, 0, new ResolutionCurve(0.36, 0.002)), 2 * DAY_NS);
    assertThat(limits.limitsAt(DAY_NS)).isSameAs(configured); // applied later in data time
    ExperimentLimits calibrated = limits.limitsAt(2 * DAY_NS);
    assertThat(calibrated).isNotSameAs(configured);
    assertThat(limits.limitsAt(3 * DAY_NS)).isSameAs(calibrated);
    assertThat(limits.rebuilds()).isEqualTo(1);
    // The hand-checked 71 bins of LineMaskWidthsTest for this curve (configured: 81).
    assertThat(calibrated.templates().maskedBinCount()).isEqualTo(71);
    assertThat(configured.templates().maskedBinCount()).isEqualTo(81);
  }
}
