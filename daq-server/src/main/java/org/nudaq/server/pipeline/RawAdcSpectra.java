package org.nudaq.server.pipeline;

import org.nudaq.monitor.calibration.ChannelCalibrator;
import org.nudaq.monitor.calibration.EnergyScale;
import org.nudaq.monitor.calibration.ResolutionCurve;
import org.nudaq.monitor.config.CalibrationConfig;
import org.nudaq.monitor.physics.ConfiguredPhysics;

/**
 * The raw (ADC) spectrum of each HPGe channel over the current calibration interval (issue 17), counted
 * for every HPGe event the time-ordered merge delivers ({@code DecisionStage.onHpgeEvent}, from a merged run or a single
 * event, before the veto:
 * the cosmogenic X-ray lines are inside the crystal, and the lines need every count), and handed over once per {@code calibration.intervalHours} of
 * data time to a {@link Listener} (the online calibration). Without online calibration every histogram is
 * empty and counting is a failed bounds test. Counting allocates nothing; the hand-off copies.
 * Pipeline thread only.
 */
final class RawAdcSpectra {
  /** Receives each interval's spectra on the pipeline thread (copies, its own to keep). */
  interface Listener {
    /**
     * @param startNs  data time of the interval's start, ns
     * @param endNs    data time of its end, ns
     * @param counts   per source (the pipeline's source order), counts per ADC value; empty for NaI
     */
    void onInterval(long startNs, long endNs, long[][] counts);
  }

  private final long[][] counts;
  private final long intervalNs;
  private long startNs = Long.MIN_VALUE;
  private long dueNs = Long.MAX_VALUE;
  private Listener listener;

  RawAdcSpectra(ChannelMap map, CalibrationConfig config) {
    counts = new long[map.sourceCount][];
    intervalNs = config.enabled() ? config.intervalNs() : Long.MAX_VALUE;
    for (int s = 0; s < map.sourceCount; s++) {
      int length = 0;
      if (config.enabled() && map.sourceHpge[s]) {
        double[] c = map.sourceConfig[s].calibration();
        ResolutionCurve prior = ResolutionCurve.of(ConfiguredPhysics.response(map.detectors[map.sourceDetector[s]]));
        EnergyScale scale = new EnergyScale(c[0], c[1], 0, 0, 0, 0, 0);
        double[] lines = ChannelCalibrator.usableLines(config, map.detectors[map.sourceDetector[s]].thresholdKeV(), prior);
        length = lines.length == 0 ? 0
            : ChannelCalibrator.adcLength(lines, scale, prior, config, (1 << map.boardAdcBits[map.sourceBoard[s]]) - 1);
      }
      counts[s] = new long[length];
    }
  }

  void listener(Listener l) {
    listener = l;
  }

  /** One event of a source. Allocation-free. */
  void count(int source, int adc) {
    long[] h = counts[source];
    if (adc >= 0 && adc < h.length) {
      h[adc]++;
    }
  }

  /**
   * The interval in progress (its start, when it is due, the counts so far), so that a restored pipeline
   * cuts the same intervals as one that never stopped (docs/journal-and-replay.md "Calibration state").
   * Not compared by a segmented replay (marked as history): it applies the journaled calibrations and
   * fits nothing, so the intervals do not change what it computes.
   */
  void saveState(StateWriter out) {
    int begun = out.beginHistory();
    out.putLong(startNs);
    out.putLong(dueNs);
    for (long[] h : counts) {
      out.putLongs(h);
    }
    out.endHistory(begun);
  }

  void restoreState(StateReader in) {
    startNs = in.getLong();
    dueNs = in.getLong();
    for (int s = 0; s < counts.length; s++) {
      in.getLongs("pipeline.rawAdcSpectra[" + s + "]", counts[s]);
    }
  }

  /** The pipeline's data clock moved to {@code nowNs}: hands the interval over when it is complete. */
  void advance(long nowNs) {
    if (nowNs < dueNs) {
      if (startNs == Long.MIN_VALUE && nowNs != Long.MIN_VALUE && intervalNs != Long.MAX_VALUE) {
        startNs = nowNs;
        dueNs = nowNs + intervalNs;
      }
      return;
    }
    long[][] copy = new long[counts.length][];
    for (int s = 0; s < counts.length; s++) {
      copy[s] = counts[s].clone();
      java.util.Arrays.fill(counts[s], 0);
    }
    long from = startNs;
    startNs = dueNs;
    dueNs += intervalNs;
    if (listener != null) {
      listener.onInterval(from, startNs, copy);
    }
  }
}
