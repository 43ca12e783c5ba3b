package org.nudaq.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.nudaq.server.pipeline.PipelineSnapshot;

/**
 * Event rates in wall-clock time over the last {@code windowSamples} samples of the pipeline totals
 * (taken about once a second by the monitoring scheduler), and the veto fraction of HPGe events.
 * Rates are in Hz of wall time (in an accelerated replay they are faster than at the reactor).
 *
 * <p>Thread-safety: {@link #sample} from one thread; readers see a consistent {@link Rates} value
 * through a volatile field.
 *
 * <p>Micrometer holds function meters\' state weakly: keep this binder reachable as long as the registry.
 */
public final class EventRates implements MeterBinder {
  /**
   * @param receivedHz      events received per second
   * @param acceptedHz      HPGe events accepted per second
   * @param vetoedHz        HPGe events vetoed per second
   * @param vetoFraction    vetoed / (accepted + vetoed) of HPGe events since the start (NaN before any)
   */
  public record Rates(double receivedHz, double acceptedHz, double vetoedHz, double vetoFraction) {}

  private final Iterable<Tag> tags;
  private final long[] timesNs;
  private final long[] received;
  private final long[] accepted;
  private final long[] vetoed;
  private int count;
  private int next;
  private volatile Rates rates = new Rates(0, 0, 0, Double.NaN);

  public EventRates(int windowSamples, Iterable<Tag> tags) {
    if (windowSamples < 2) {
      throw new IllegalArgumentException("rates: windowSamples must be >= 2, got " + windowSamples);
    }
    this.tags = tags;
    timesNs = new long[windowSamples];
    received = new long[windowSamples];
    accepted = new long[windowSamples];
    vetoed = new long[windowSamples];
  }

  /** Records the totals of a snapshot at monotonic time {@code nanoTime}. */
  public void sample(PipelineSnapshot s, long nanoTime) {
    if (s == null) {
      return;
    }
    long acc = 0;
    long vet = 0;
    for (PipelineSnapshot.ChannelSnapshot c : s.channels()) {
      if (c.hpge()) {
        acc += c.accepted();
        vet += c.vetoed();
      }
    }
    timesNs[next] = nanoTime;
    received[next] = s.totals().received();
    accepted[next] = acc;
    vetoed[next] = vet;
    int newest = next;
    next = (next + 1) % timesNs.length;
    count = Math.min(count + 1, timesNs.length);
    int oldest = count < timesNs.length ? 0 : next;
    double dt = (timesNs[newest] - timesNs[oldest]) * 1e-9;
    double fraction = acc + vet == 0 ? Double.NaN : (double) vet / (acc + vet);
    if (count < 2 || !(dt > 0)) {
      rates = new Rates(0, 0, 0, fraction);
      return;
    }
    rates = new Rates((received[newest] - received[oldest]) / dt, (accepted[newest] - accepted[oldest]) / dt,
        (vetoed[newest] - vetoed[oldest]) / dt, fraction);
  }

  public Rates rates() {
    return rates;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("nudaq.event.rate.hertz", this, r -> r.rates.receivedHz())
        .description("Event rate over the last seconds of wall time, by kind").tags(Tags.of(tags).and("kind", "received"))
        .register(registry);
    Gauge.builder("nudaq.event.rate.hertz", this, r -> r.rates.acceptedHz())
        .description("Event rate over the last seconds of wall time, by kind").tags(Tags.of(tags).and("kind", "accepted"))
        .register(registry);
    Gauge.builder("nudaq.event.rate.hertz", this, r -> r.rates.vetoedHz())
        .description("Event rate over the last seconds of wall time, by kind").tags(Tags.of(tags).and("kind", "vetoed"))
        .register(registry);
    Gauge.builder("nudaq.veto.fraction", this, r -> r.rates.vetoFraction())
        .description("Fraction of HPGe events vetoed since the start: vetoed / (accepted + vetoed)").tags(tags)
        .register(registry);
  }
}
