package org.nudaq.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;

class DataTimeRatesTest {
  private static final long S = 1_000_000_000L;

  /** At data time t: an HPGe channel (received, accepted, vetoed), a NaI channel (received), all channels and muons. */
  private static PipelineSnapshot at(long dataTimeNs, long all, long ge, long geAccepted, long geVetoed, long nai, long muons) {
    var hpge = new PipelineSnapshot.ChannelSnapshot(0, 0, true, "ge", ge, geAccepted, geVetoed, Map.of(), Map.of(), 0, 0, 0, 0);
    var naiCh = new PipelineSnapshot.ChannelSnapshot(0, 1, false, "nai", nai, nai, 0, Map.of(), Map.of(), 0, 0, 0, 0);
    var totals = new PipelineSnapshot.Totals(all, 0, 0, Map.of(), Map.of(), 0, 0, 0, muons, 0);
    return new PipelineSnapshot(Instant.EPOCH, dataTimeNs, ReactorState.ON, List.of(), List.of(), List.of(hpge, naiCh), totals);
  }

  @Test
  void ratesAreCountsOverDataTimeByKindOfChannel() {
    DataTimeRates r = new DataTimeRates(3);
    assertThat(r.rates().hpgeReceivedHz()).isNaN();
    r.sample(at(10 * S, 1000, 100, 40, 50, 900, 3));
    r.sample(at(30 * S, 3000, 300, 100, 150, 2700, 7));
    // over 20 s of data time: all (3000 - 1000) / 20 = 100 Hz; HPGe 200 / 20 = 10 Hz, accepted 60 / 20 = 3 Hz,
    // vetoed 100 / 20 = 5 Hz; NaI 1800 / 20 = 90 Hz; muons 4 / 20 = 0.2 Hz
    DataTimeRates.Rates x = r.rates();
    assertThat(x.windowDataSeconds()).isEqualTo(20.0);
    assertThat(x.allChannelsHz()).isCloseTo(100, within(1e-12));
    assertThat(x.hpgeReceivedHz()).isCloseTo(10, within(1e-12));
    assertThat(x.hpgeAcceptedHz()).isCloseTo(3, within(1e-12));
    assertThat(x.hpgeVetoedHz()).isCloseTo(5, within(1e-12));
    assertThat(x.naiReceivedHz()).isCloseTo(90, within(1e-12));
    assertThat(x.muonHz()).isCloseTo(0.2, within(1e-12));
  }

  @Test
  void windowSlidesAndAStoppedClockKeepsTheLastRates() {
    DataTimeRates r = new DataTimeRates(2);
    r.sample(at(0, 0, 0, 0, 0, 0, 0));
    r.sample(at(10 * S, 0, 100, 0, 0, 0, 0));
    r.sample(at(20 * S, 0, 100, 0, 0, 0, 0)); // window of 2: only (10 s, 20 s)
    assertThat(r.rates().hpgeReceivedHz()).isZero();
    r.sample(at(20 * S, 0, 500, 0, 0, 0, 0)); // data time did not advance: ignored
    assertThat(r.rates().hpgeReceivedHz()).isZero();
    r.sample(null);
    r.sample(at(Long.MIN_VALUE, 0, 0, 0, 0, 0, 0)); // before any data
    assertThat(r.rates().windowDataSeconds()).isEqualTo(10.0);
  }
}
