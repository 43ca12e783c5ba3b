package org.nudaq.monitor.calibration;

import java.util.SplittableRandom;

/** Raw (ADC) spectra for the calibration tests: Gaussian lines on a flat background, event by event, seeded. */
final class SyntheticSpectrum {
  final long[] counts;
  private final SplittableRandom random;

  SyntheticSpectrum(int adcLength, long seed) {
    counts = new long[adcLength];
    random = new SplittableRandom(seed);
  }

  /** n events of a line at energyKeV with σ sigmaKeV, recorded through E = offset + gain·adc. */
  SyntheticSpectrum line(double energyKeV, double sigmaKeV, int n, double offsetKeV, double gainKeVPerAdc) {
    for (int i = 0; i < n; i++) {
      add((energyKeV + sigmaKeV * random.nextGaussian() - offsetKeV) / gainKeVPerAdc);
    }
    return this;
  }

  /** On average perAdc events per ADC channel, uniform over the spectrum. */
  SyntheticSpectrum flat(double perAdc) {
    long n = Math.round(perAdc * counts.length);
    for (long i = 0; i < n; i++) {
      add(random.nextDouble() * counts.length - 0.5);
    }
    return this;
  }

  private void add(double adc) {
    long a = Math.round(adc);
    if (a >= 0 && a < counts.length) {
      counts[(int) a]++;
    }
  }
}
