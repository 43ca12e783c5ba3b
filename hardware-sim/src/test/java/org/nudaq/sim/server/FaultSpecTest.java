package org.nudaq.sim.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultSpecTest {

  @Test
  void parsesTheFullExampleOfTheIssue() {
    FaultSpec f = FaultSpec.parse("disconnect-every=30s,corrupt=1e-4,truncate=1e-4,garbage=1e-4,skip-seq=1e-3,"
        + "dup-seq=1e-3,stall=5s@60s,burst=10x@120s+10s,rollover=48");
    assertThat(f).isEqualTo(new FaultSpec(30_000, 0, 1e-4, 1e-4, 1e-4, 1e-3, 1e-3, 60_000, 5_000, 10, 120, 10, 48));
    assertThat(f.hasBurst()).isTrue();
    assertThat(f.anyFramingFault()).isTrue();
  }

  @Test
  void emptySpecMeansNoFaults() {
    assertThat(FaultSpec.parse("")).isEqualTo(FaultSpec.NONE);
    assertThat(FaultSpec.parse(null)).isEqualTo(FaultSpec.NONE);
    assertThat(FaultSpec.NONE.hasBurst()).isFalse();
  }

  @Test
  void acceptsFrameCountsAndMillisecondDurations() {
    FaultSpec f = FaultSpec.parse("disconnect-every=200frames, stall=250ms@1.5s");
    assertThat(f.disconnectEveryFrames()).isEqualTo(200);
    assertThat(f.stallDurationMs()).isEqualTo(250);
    assertThat(f.stallAtMs()).isEqualTo(1500);
  }

  @Test
  void rejectsBadItemsNamingThem() {
    assertThatThrownBy(() -> FaultSpec.parse("corrupt=2")).hasMessageContaining("corrupt=2").hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> FaultSpec.parse("explode=1")).hasMessageContaining("unknown fault 'explode'");
    assertThatThrownBy(() -> FaultSpec.parse("stall=5s")).hasMessageContaining("stall=DURATION@START");
    assertThatThrownBy(() -> FaultSpec.parse("disconnect-every=30")).hasMessageContaining("needs a unit");
    assertThatThrownBy(() -> FaultSpec.parse("rollover=65")).hasMessageContaining("1..64");
    assertThatThrownBy(() -> FaultSpec.parse("burst=10@1s+1s")).hasMessageContaining("FACTORx@START+DURATION");
    assertThatThrownBy(() -> FaultSpec.parse("corrupt=0.1,corrupt=0.2")).hasMessageContaining("given twice");
  }
}
