package org.nudaq.monitor.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CALIBRATION journal record body: what is written is read back exactly; bad bodies are named. */
class CalibrationCodecTest {
  private static final CalibrationCodec.Change CHANGE = new CalibrationCodec.Change(3, 7, new Calibration(
      CalibrationStatus.STEP, 17_280_000_000_000_000L, 17_193_600_000_000_000L,
      new EnergyScale(0.0125, 0.0050151, 0.001, 2.3e-6, -1e-9, 1.7, 2), new ResolutionCurve(0.98, 0.0021),
      List.of(new LineFit(10.37, 2067.8, 3.1, 84.2, 2.5, 812.5, 31.0, 30.2, 34),
          new LineFit(9.66, 1926.1, 9.9, 84.2, 2.5, 90.1, 15.2, 30.2, 34)), 0.031, "gain step of +0.300 % — µ"));

  @Test
  void aChangeIsReadBackExactly() {
    byte[] body = CalibrationCodec.encode(CHANGE);
    assertThat(CalibrationCodec.decode(body, body.length)).isEqualTo(CHANGE);
  }

  @Test
  void aTruncatedOrWrongBodyIsRefusedWithWhatIsWrong() {
    byte[] body = CalibrationCodec.encode(CHANGE);
    assertThatThrownBy(() -> CalibrationCodec.decode(body, 40)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    byte[] badStatus = Arrays.copyOf(body, body.length);
    badStatus[8] = 42;
    assertThatThrownBy(() -> CalibrationCodec.decode(badStatus, badStatus.length)).hasMessageContaining("status 42");
  }

  /**
   * A linear calibration's body is the layout journals had before the quadratic term (its length by the
   * layout: 4 + 4 + 1 + 8 + 8 + 6·8 + 4 + 3·8 + 4 + lines·(8·8 + 4) + 4 + message bytes), so old journals replay
   * unchanged; a quadratic one appends u8 1 and two f64 and is read back exactly.
   */
  @Test
  void aQuadraticScaleAppendsItsTermAfterTheMessageAndALinearBodyKeepsTheOldLayout() {
    byte[] linear = CalibrationCodec.encode(CHANGE);
    int message = "gain step of +0.300 % — µ".getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertThat(linear).hasSize(4 + 4 + 1 + 8 + 8 + 6 * 8 + 4 + 3 * 8 + 4 + 2 * (8 * 8 + 4) + 4 + message);

    Calibration k = CHANGE.calibration();
    EnergyScale s = k.scale();
    CalibrationCodec.Change quadratic = new CalibrationCodec.Change(3, 7, new Calibration(k.status(), k.atNs(),
        k.windowStartNs(), new EnergyScale(s.offsetKeV(), s.gainKeVPerAdc(), s.offsetErrKeV(), s.gainErrKeVPerAdc(),
            s.covariance(), s.chi2(), s.ndf(), 1.25e-9, 3e-10), k.resolution(), k.lines(), k.maxShiftKeV(), k.message()));
    byte[] body = CalibrationCodec.encode(quadratic);
    assertThat(body).hasSize(linear.length + 1 + 16);
    assertThat(Arrays.copyOf(body, linear.length)).isEqualTo(linear);
    assertThat(body[linear.length]).isEqualTo((byte) 1);
    assertThat(CalibrationCodec.decode(body, body.length)).isEqualTo(quadratic);
    assertThat(CalibrationCodec.decode(body, body.length).calibration().scale().coefficients())
        .containsExactly(0.0125, 0.0050151, 1.25e-9);
    // What a version without the extension reads: the body up to the message, a linear scale.
    assertThat(CalibrationCodec.decode(body, linear.length)).isEqualTo(CHANGE);
    byte[] unknown = body.clone();
    unknown[linear.length] = 2;
    assertThatThrownBy(() -> CalibrationCodec.decode(unknown, unknown.length)).hasMessageContaining("extension 2");
  }
}
