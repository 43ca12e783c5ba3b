package org.nudaq.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;

class EventRatesTest {
  private static final long S = 1_000_000_000L;

  /** Totals: received; HPGe channel accepted/vetoed; a NaI channel whose accepted must not count. */
  private static PipelineSnapshot snapshot(long received, long hpgeAccepted, long hpgeVetoed) {
    var hpge = new PipelineSnapshot.ChannelSnapshot(0, 0, true, "ge", 0, hpgeAccepted, hpgeVetoed, Map.of(), Map.of(), 0, 0, 0, 0);
    var nai = new PipelineSnapshot.ChannelSnapshot(0, 1, false, "nai", 0, 1_000_000, 0, Map.of(), Map.of(), 0, 0, 0, 0);
    var totals = new PipelineSnapshot.Totals(received, 0, 0, Map.of(), Map.of(), 0, 0, 0, 0, 0);
    return new PipelineSnapshot(Instant.EPOCH, 0, ReactorState.ON, List.of(), List.of(), List.of(hpge, nai), totals);
  }

  @Test
  void ratesAreDifferencesOverTheWindowAndVetoFractionIsCumulative() {
    EventRates r = new EventRates(3, List.of());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    r.bindTo(registry);
    r.sample(snapshot(100, 10, 30), 0);
    assertThat(r.rates().receivedHz()).isZero();
    r.sample(snapshot(300, 20, 50), 2 * S);
    // (300 - 100) / 2 s = 100 Hz; accepted (20 - 10) / 2 = 5 Hz; vetoed (50 - 30) / 2 = 10 Hz
    assertThat(r.rates().receivedHz()).isCloseTo(100, within(1e-12));
    assertThat(r.rates().acceptedHz()).isCloseTo(5, within(1e-12));
    assertThat(r.rates().vetoedHz()).isCloseTo(10, within(1e-12));
    // veto fraction 50 / (20 + 50)
    assertThat(r.rates().vetoFraction()).isCloseTo(50.0 / 70, within(1e-12));
    r.sample(snapshot(400, 20, 50), 3 * S);
    r.sample(snapshot(1000, 20, 50), 4 * S);
    // the window holds 3 samples: t = 2, 3, 4 s -> (1000 - 300) / 2 s = 350 Hz
    assertThat(r.rates().receivedHz()).isCloseTo(350, within(1e-12));
    assertThat(registry.get("nudaq.event.rate.hertz").tag("kind", "received").gauge().value()).isCloseTo(350, within(1e-12));
    assertThat(registry.get("nudaq.veto.fraction").gauge().value()).isCloseTo(50.0 / 70, within(1e-12));
  }
}
