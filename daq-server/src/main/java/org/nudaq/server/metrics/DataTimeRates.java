package org.nudaq.server.metrics;

import org.nudaq.server.pipeline.PipelineSnapshot;

/**
 * Event rates per kind of channel in data-time Hz: counts over the pipeline's data-time clock, not
 * the wall clock, so they are the rates at the detector whether the daemon takes data live or
 * catches up (an accelerated simulator or replay shows real detector rates here, while {@link
 * EventRates} shows how fast the daemon works). Differences over the last {@code windowSamples}
 * samples (about one a second); an HPGe rate is never mixed with an all-channel one.
 *
 * <p>Thread-safety: {@link #sample} from one thread (the monitoring scheduler); readers see a
 * consistent {@link Rates} value through a volatile field.
 */
public final class DataTimeRates {
  /**
   * Rates over {@code windowDataSeconds} of data time, Hz of data time; all NaN until two samples
   * with advancing data time exist.
   *
   * @param windowDataSeconds  data time between the oldest and newest sample, s
   * @param allChannelsHz      events received on every channel, HPGe and NaI (and unknown channels)
   * @param hpgeReceivedHz     HPGe events received
   * @param hpgeAcceptedHz     HPGe events in the analysis spectrum (after veto, flag cuts and gates)
   * @param hpgeVetoedHz       HPGe events removed by the NaI anticoincidence
   * @param naiReceivedHz      NaI events received (all NaI channels)
   * @param muonHz             NaI hits above the muon threshold
   */
  public record Rates(double windowDataSeconds, double allChannelsHz, double hpgeReceivedHz, double hpgeAcceptedHz,
      double hpgeVetoedHz, double naiReceivedHz, double muonHz) {
    static final Rates NONE = new Rates(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  private static final int KINDS = 6;
  private final long[] dataTimeNs;
  private final long[][] counts;
  private int count;
  private int next;
  private volatile Rates rates = Rates.NONE;

  public DataTimeRates(int windowSamples) {
    if (windowSamples < 2) {
      throw new IllegalArgumentException("data-time rates: windowSamples must be >= 2, got " + windowSamples);
    }
    dataTimeNs = new long[windowSamples];
    counts = new long[windowSamples][KINDS];
  }

  /** Records the totals of a snapshot (ignored before the first data or when data time has not advanced). */
  public void sample(PipelineSnapshot s) {
    if (s == null || s.dataTimeNs() == Long.MIN_VALUE) {
      return;
    }
    if (count > 0 && s.dataTimeNs() <= dataTimeNs[(next - 1 + dataTimeNs.length) % dataTimeNs.length]) {
      return; // no new data: keep the last rates (a stopped run shows the rates it had)
    }
    long[] c = counts[next];
    java.util.Arrays.fill(c, 0);
    c[0] = s.totals().received();
    for (PipelineSnapshot.ChannelSnapshot ch : s.channels()) {
      if (ch.hpge()) {
        c[1] += ch.received();
        c[2] += ch.accepted();
        c[3] += ch.vetoed();
      } else {
        c[4] += ch.received();
      }
    }
    c[5] = s.totals().muons();
    dataTimeNs[next] = s.dataTimeNs();
    int newest = next;
    next = (next + 1) % dataTimeNs.length;
    count = Math.min(count + 1, dataTimeNs.length);
    int oldest = count < dataTimeNs.length ? 0 : next;
    double dt = (dataTimeNs[newest] - dataTimeNs[oldest]) * 1e-9;
    if (count < 2 || !(dt > 0)) {
      return;
    }
    long[] a = counts[oldest];
    long[] b = counts[newest];
    rates = new Rates(dt, (b[0] - a[0]) / dt, (b[1] - a[1]) / dt, (b[2] - a[2]) / dt, (b[3] - a[3]) / dt,
        (b[4] - a[4]) / dt, (b[5] - a[5]) / dt);
  }

  public Rates rates() {
    return rates;
  }
}
