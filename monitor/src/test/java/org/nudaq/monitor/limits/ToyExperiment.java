package org.nudaq.monitor.limits;

import org.hipparchus.random.RandomDataGenerator;

/**
 * A binned ON/OFF toy experiment for tests: true background b_i, weak rate w_i and unit signal
 * s_i (counts/day in the bin), live times in days; {@link #draw} fills the count arrays with
 * n_i ~ Poisson(t_on(b_i + w_i + X s_i)), m_i ~ Poisson(t_off b_i) from a seeded generator.
 */
final class ToyExperiment {

  final double[] backgroundRatePerDay;
  final double[] weakRatePerDay;
  final double[] unitSignalRatePerDay;
  final double onLiveTimeDays;
  final double offLiveTimeDays;
  final long[] onCounts;
  final long[] offCounts;
  private final RandomDataGenerator random;

  ToyExperiment(double[] backgroundRatePerDay, double[] weakRatePerDay,
      double[] unitSignalRatePerDay, double onLiveTimeDays, double offLiveTimeDays, long seed) {
    this.backgroundRatePerDay = backgroundRatePerDay;
    this.weakRatePerDay = weakRatePerDay;
    this.unitSignalRatePerDay = unitSignalRatePerDay;
    this.onLiveTimeDays = onLiveTimeDays;
    this.offLiveTimeDays = offLiveTimeDays;
    this.onCounts = new long[backgroundRatePerDay.length];
    this.offCounts = new long[backgroundRatePerDay.length];
    this.random = new RandomDataGenerator(seed);
  }

  /** 20 bins of ~500 ON / ~250 OFF counts: the Gaussian regime. */
  static ToyExperiment manyCountsTwentyBins(long seed) {
    int bins = 20;
    double[] b = new double[bins];
    double[] w = new double[bins];
    double[] s = new double[bins];
    for (int i = 0; i < bins; i++) {
      b[i] = 5.0;
      w[i] = 0.05;
      s[i] = 0.1 + 0.02 * i;
    }
    return new ToyExperiment(b, w, s, 100.0, 50.0, seed);
  }

  /** 3 bins of a few tens of counts: the regime of the Poisson likelihood. */
  static ToyExperiment fewCountsThreeBins(long seed) {
    return new ToyExperiment(new double[] {4.0, 3.0, 2.0}, new double[] {0.2, 0.2, 0.2},
        new double[] {3.0, 1.5, 0.8}, 10.0, 10.0, seed);
  }

  void draw(double trueX) {
    for (int i = 0; i < onCounts.length; i++) {
      double onMean = onLiveTimeDays
          * (backgroundRatePerDay[i] + weakRatePerDay[i] + trueX * unitSignalRatePerDay[i]);
      onCounts[i] = random.nextPoisson(onMean);
      offCounts[i] = random.nextPoisson(offLiveTimeDays * backgroundRatePerDay[i]);
    }
  }

  BinnedInput input() {
    return new BinnedInput(onCounts, offCounts, onLiveTimeDays, offLiveTimeDays, weakRatePerDay,
        unitSignalRatePerDay, 0, onCounts.length);
  }

  /** σ of X from the true expected counts (the profiled Fisher width at X = 0). */
  double trueSigmaAtZero() {
    double information = 0.0;
    for (int i = 0; i < onCounts.length; i++) {
      double b = backgroundRatePerDay[i];
      double s = unitSignalRatePerDay[i];
      double rateVariance = (b + weakRatePerDay[i]) / onLiveTimeDays + b / offLiveTimeDays;
      information += s * s / rateVariance;
    }
    return 1.0 / Math.sqrt(information);
  }
}
