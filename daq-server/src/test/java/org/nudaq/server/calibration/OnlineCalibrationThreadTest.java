package org.nudaq.server.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nudaq.monitor.calibration.CalibrationCodec;
import org.nudaq.monitor.config.CalibrationConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * Issue 17's speed point, the part a test can show: the daemon's online calibration ({@link
 * OnlineCalibration.Mode#BACKGROUND}, as Daemon builds it) fits off the thread that hands it the interval spectra
 * (the pipeline thread). The caller of {@link OnlineCalibration#onInterval} returns while a fit is still going on
 * (the first fit's result is held up in the apply action until the second interval has been handed over), and
 * every fit and its result run on the "nudaq-calibration" thread. {@link OnlineCalibration.Mode#INLINE} (the
 * recalibrating replay) fits on the caller's thread. No timing: latches and deadlines.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OnlineCalibrationThreadTest {
  private static final long DAY_NS = 86_400_000_000_000L;

  private static NudaqConfig config() {
    NudaqConfig c = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    return c.withCalibration(new CalibrationConfig(true, CalibrationConfig.DEFAULT_LINES_KEV, 0,
        CalibrationConfig.Terms.GAIN, 24, 10, 50, 1, 3, 3, 5, 0.1, 0.05, 0.25));
  }

  /** One day of board 0 channel 0 (0.005 keV per ADC): Ga K 10.37 (20 000), Zn K 9.66 (1 300), Cu K 8.98 (2 000) keV. */
  private static long[] day(long seed) {
    long[] counts = new long[4000];
    SplittableRandom r = new SplittableRandom(seed);
    double[][] lines = {{10.37, 20_000}, {9.66, 1_300}, {8.98, 2_000}};
    for (double[] l : lines) {
      for (int i = 0; i < l[1]; i++) {
        long adc = Math.round((l[0] + 0.4247 * r.nextGaussian()) / 0.005);
        if (adc >= 0 && adc < counts.length) {
          counts[(int) adc]++;
        }
      }
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += r.nextInt(3);
    }
    return counts;
  }

  @Test
  void theDaemonsCalibrationFitsOnItsOwnThreadAndTheCallerDoesNotWaitForIt() throws Exception {
    String caller = Thread.currentThread().getName();
    List<String> applyThreads = new CopyOnWriteArrayList<>();
    CountDownLatch secondHandedOver = new CountDownLatch(1);
    List<Boolean> awaited = new CopyOnWriteArrayList<>();
    CalibrationHistory history = new CalibrationHistory();
    OnlineCalibration calibration = new OnlineCalibration(config(), OnlineCalibration.Mode.BACKGROUND, (CalibrationCodec.Change c) -> {
      applyThreads.add(Thread.currentThread().getName());
      if (applyThreads.size() == 1 && !Thread.currentThread().getName().equals(caller)) {
        try {
          // The first result waits here until the caller has handed over the next interval: had the caller
          // fitted (or waited for the fit), it could not have.
          awaited.add(secondHandedOver.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, history);
    try {
      calibration.onInterval(0, 0, 0, DAY_NS, day(1));
      calibration.onInterval(0, 0, DAY_NS, 2 * DAY_NS, day(2));
      secondHandedOver.countDown();
      assertThat(applyThreads).as("no fit result on the caller's thread").doesNotContain(caller);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (applyThreads.size() < 2) {
        assertThat(System.nanoTime()).as("both fits applied within 30 s; history %s", history.report()).isLessThan(deadline);
        LockSupport.parkNanos(10_000_000L);
      }
    } finally {
      calibration.close();
    }
    assertThat(applyThreads).containsExactly("nudaq-calibration", "nudaq-calibration");
    assertThat(awaited).as("the first result was held up until the caller had handed over the second interval")
        .containsExactly(true);
    assertThat(calibration.intervals()).isEqualTo(2);
  }

  @Test
  void theRecalibratingReplayFitsInline() {
    String caller = Thread.currentThread().getName();
    List<String> applyThreads = new CopyOnWriteArrayList<>();
    CalibrationHistory history = new CalibrationHistory();
    try (OnlineCalibration calibration = new OnlineCalibration(config(), OnlineCalibration.Mode.INLINE,
        c -> applyThreads.add(Thread.currentThread().getName()), history)) {
      calibration.onInterval(0, 0, 0, DAY_NS, day(1));
      // Inline: done when the call returns.
      assertThat(applyThreads).containsExactly(caller);
      assertThat(history.latestAttempt("board0/ch0")).isNotNull();
    }
  }
}
