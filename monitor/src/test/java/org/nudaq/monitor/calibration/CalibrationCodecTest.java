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
}
