package org.nudaq.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.NudaqConfig;

/** Marking EVENTS frames with beginBatch/endBatch changes when the merge drains, never what comes out. */
class FrameBatchingTest {
  private static final long TICKS_PER_S = 250_000_000L; // 4 ns ticks

  /** Feeds a random run: frames of per-channel aggregates (HPGe ch 0, NaI ch 1), a status every second. */
  private static PipelineSnapshot run(boolean batched) {
    NudaqConfig c = TestConfigs.gemma1();
    EventPipeline p = new EventPipeline(c);
    SplittableRandom r = new SplittableRandom(42);
    p.onHello(0, 4000);
    p.onStatusBegin(0, 0, 0, 1);
    p.onStatusChannel(0, 0, 0, 0, 0, 0);
    p.onStatusChannel(0, 1, 0, 0, 0, 0);
    p.onStatusEnd(0);
    long[] next = {0, 0};
    long accepted = 0;
    for (int second = 1; second <= 200; second++) {
      long end = second * TICKS_PER_S;
      // Channels are sent in aggregates of up to 40 events: frames interleave the channels out of order.
      while (next[0] < end || next[1] < end) {
        int ch = next[0] <= next[1] ? (r.nextInt(3) == 0 ? 1 : 0) : (r.nextInt(3) == 0 ? 0 : 1);
        if (next[ch] >= end) {
          ch = 1 - ch;
        }
        if (batched) {
          p.beginBatch();
        }
        int n = 1 + r.nextInt(40);
        for (int i = 0; i < n && next[ch] < end; i++) {
          next[ch] += 1 + r.nextLong(ch == 0 ? 2_000_000 : 400_000);
          if (next[ch] >= end) {
            break;
          }
          int adc = ch == 0 ? r.nextInt(20_000) : r.nextInt(65_536);
          int flags = r.nextInt(200) == 0 ? 0x1 : 0;
          p.onEvent(0, ch, next[ch], adc, flags, 0);
          accepted++;
        }
        if (batched) {
          p.endBatch();
        }
      }
      p.onStatusBegin(0, end, end, second < 120 ? 1 : 0);
      p.onStatusChannel(0, 0, end - 1000L * second, 1000L * second, accepted, 0);
      p.onStatusChannel(0, 1, end, 0, accepted, 0);
      p.onStatusEnd(0);
      next[0] = Math.max(next[0], end);
      next[1] = Math.max(next[1], end);
    }
    p.finish();
    assertThat(p.accountingBalances()).isTrue();
    return p.publish(Instant.EPOCH);
  }

  @Test
  void batchedAndUnbatchedFramesGiveIdenticalSpectraLiveTimesAndAccounting() {
    PipelineSnapshot plain = run(false);
    PipelineSnapshot batched = run(true);
    assertThat(plain.totals().received()).isGreaterThan(100_000);
    assertThat(batched).isEqualTo(plain);
  }
}
