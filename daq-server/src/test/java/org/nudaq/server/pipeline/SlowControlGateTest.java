package org.nudaq.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SlowControlConfig;

/**
 * The slow-control rules in the decision stage, against hand counts on the GEMMA-I channels: events in a
 * rule's window are gated SLOW_CONTROL (a muon gate takes precedence), and the window's real time is gated
 * in one union with the muon gates, so a time gated twice is subtracted once.
 */
class SlowControlGateTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private static NudaqConfig config() {
    NudaqConfig c = TestConfigs.gemma1();
    return c.withSlowControl(new SlowControlConfig(List.of(new SlowControlConfig.Sensor("ln2Level", "%")),
        List.of(new SlowControlConfig.Rule("ln2Level", SlowControlConfig.Comparison.BELOW, 20))));
  }

  @Test
  void aWindowGatesItsEventsAndItsTimeOnceWithOverlappingMuonGates() {
    PipelineDriver d = new PipelineDriver(new EventPipeline(config()));
    d.status(0, 1);
    // LN2 low over [200, 500) ms, given ahead of the data.
    assertThat(d.pipeline.slowControlReading("ln2Level", 10, 200 * MS)).isTrue();
    assertThat(d.pipeline.slowControlReading("ln2Level", 15, 300 * MS)).as("still violated: no new boundary").isFalse();
    assertThat(d.pipeline.slowControlReading("ln2Level", 50, 500 * MS)).isTrue();
    d.nai(150 * MS, 20_000);              // muon outside: gate [150, 150.1) ms
    d.hpge(199 * MS, 10.0);               // before the window: accepted
    d.hpge(200 * MS, 10.0);               // the window's first ns: SLOW_CONTROL
    d.hpge(300 * MS, 10.0);               // SLOW_CONTROL
    d.nai(450 * MS, 20_000);              // muon inside the window: its gate adds no time
    d.hpge(450 * MS + 50_000, 10.0);      // in both: the muon gate comes first
    d.nai(500 * MS - 50_000, 20_000);     // muon at 499.95 ms: its gate ends at 500.05 ms, past the window
    d.hpge(500 * MS, 10.0);               // the window ended, the muon gate not: MUON
    d.hpge(500 * MS + 60_000, 10.0);      // after both: accepted
    d.status(1 * S, 1);
    d.pipeline.finish();
    assertThat(d.pipeline.gated(0, 0, GateReason.SLOW_CONTROL)).isEqualTo(2);
    assertThat(d.pipeline.gated(0, 0, GateReason.MUON)).isEqualTo(2);
    assertThat(d.pipeline.accepted(0, 0)).isEqualTo(2);
    // 1 s of real time, no dead time. Gated: 0.1 ms (first muon) + 300 ms (window, the second muon inside)
    // + 0.05 ms (the third muon's gate past the window's end) = 300.15 ms.
    assertThat(d.pipeline.liveTimeBeforeGatesSeconds(0, ReactorState.ON)).isEqualTo(1.0);
    assertThat(d.pipeline.liveTimeSeconds(0, ReactorState.ON)).isCloseTo(1.0 - 0.30015, within(1e-15));
    d.pipeline.publish(Instant.EPOCH);
    assertThat(d.pipeline.slowControl().excludedSecondsByRule().get("ln2Level < 20")).isCloseTo(0.3, within(1e-15));
    assertThat(d.pipeline.slowControl().lateReadings()).isZero();
  }

  @Test
  void aReadingWhoseDataTimeHasPassedAppliesFromTheClockAndAnOpenWindowCountsToIt() {
    PipelineDriver d = new PipelineDriver(new EventPipeline(config()));
    d.status(0, 1);
    d.status(600 * MS, 1);                                     // the board's status moves the data clock to 600 ms
    assertThat(d.pipeline.dataTimeNs()).isEqualTo(600 * MS);
    d.pipeline.slowControlReading("ln2Level", 10, 550 * MS);  // passed: applies from the clock (600 ms)
    d.pipeline.slowControlReading("hv", 0, 550 * MS);         // no rule watches hv: counted, nothing changes
    d.hpge(650 * MS, 10.0);                                    // SLOW_CONTROL
    d.hpge(800 * MS, 10.0);                                    // SLOW_CONTROL: the window is still open
    d.status(850 * MS, 1);
    assertThat(d.pipeline.dataTimeNs()).isEqualTo(850 * MS);
    d.pipeline.publish(Instant.EPOCH);
    assertThat(d.pipeline.slowControl().excludedSecondsByRule().get("ln2Level < 20")).isCloseTo(0.25, within(1e-15));
    assertThat(d.pipeline.slowControl().lateReadings()).isEqualTo(1);
    assertThat(d.pipeline.slowControl().unknownSensorReadings()).isEqualTo(1);
    d.pipeline.slowControlReading("ln2Level", 80, 900 * MS);
    d.hpge(950 * MS, 10.0);                                    // after the window: accepted
    d.status(1 * S, 1);
    d.pipeline.finish();
    assertThat(d.pipeline.gated(0, 0, GateReason.SLOW_CONTROL)).isEqualTo(2);
    assertThat(d.pipeline.accepted(0, 0)).isEqualTo(1);
    // Window [600, 900) ms: 0.3 s of the 1 s.
    assertThat(d.pipeline.liveTimeSeconds(0, ReactorState.ON)).isCloseTo(0.7, within(1e-15));
  }
}
