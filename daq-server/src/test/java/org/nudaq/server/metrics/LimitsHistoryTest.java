package org.nudaq.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.limits.Method;

class LimitsHistoryTest {
  private static ExperimentResult at(long second) {
    return new ExperimentResult(Instant.ofEpochSecond(second), Method.FELDMAN_COUSINS, 0.9, 1, 1, 0, 1, second * 1e-11,
        3e-11, 2e-11, 4e-11, 0, 1, 3e-12, 3e-12, 2e-12, 4e-12, 1e-12, null, null, 1.5, 1.5);
  }

  @Test
  void keepsTheLastResultsOldestFirstAndDropsRepeats() {
    LimitsHistory h = new LimitsHistory(3);
    assertThat(h.offer(null)).isFalse();
    assertThat(h.offer(at(1))).isTrue();
    assertThat(h.offer(at(1))).as("same computation").isFalse();
    assertThat(h.offer(at(0))).as("older").isFalse();
    for (long s = 2; s <= 5; s++) {
      assertThat(h.offer(at(s))).isTrue();
    }
    assertThat(h.results()).extracting(r -> r.computedAt().getEpochSecond()).containsExactly(3L, 4L, 5L);
    assertThat(h.capacity()).isEqualTo(3);
  }
}
