package org.nudaq.monitor.analysis;

import java.util.List;
import org.nudaq.monitor.calibration.ResolutionCurve;

/**
 * Where the line masks take each detector's resolution from (issue 17): the configured resolution of
 * the detector ({@link #configured()}, the default), or the resolution curves FWHM(E) of the online
 * calibration's epochs in force during the data. With several epochs a line's σ is the widest of them
 * at the line's energy: a mask wide enough for every epoch's line is safe for the summed spectrum, where
 * an exposure-weighted σ would leave the tails of the wider epochs' lines in the signal window.
 * A detector without epochs keeps its configured resolution. Immutable.
 *
 * @param detectors the detectors with calibration epochs (others: configured)
 */
public record LineWidths(List<Detector> detectors) {

  public LineWidths {
    detectors = List.copyOf(detectors);
  }

  /**
   * One calibration epoch's resolution curve.
   *
   * @param channel     the HPGe channel, {@code board<id>/ch<n>}
   * @param atNs        data time of the calibration that started the epoch, ns
   * @param resolution  its fitted curve FWHM(E)² = noise + slope·E, keV
   */
  public record Epoch(String channel, long atNs, ResolutionCurve resolution) {}

  /**
   * A detector's epochs, oldest first (non-empty).
   *
   * @param detector detector name
   * @param epochs   the calibration epochs in force during the data
   */
  public record Detector(String detector, List<Epoch> epochs) {
    public Detector {
      epochs = List.copyOf(epochs);
      if (epochs.isEmpty()) {
        throw new IllegalArgumentException("line widths of detector " + detector + ": no calibration epoch");
      }
    }

    /** The epoch whose curve is widest at an energy (the first of equals). */
    public Epoch widest(double energyKeV) {
      Epoch best = epochs.get(0);
      for (Epoch e : epochs) {
        if (e.resolution().sigmaKeV(energyKeV) > best.resolution().sigmaKeV(energyKeV)) {
          best = e;
        }
      }
      return best;
    }
  }

  /** Every detector with its configured resolution (the masks as before issue 17). */
  public static LineWidths configured() {
    return new LineWidths(List.of());
  }

  /** A detector's calibration epochs, or null when it keeps its configured resolution. */
  public Detector of(String detector) {
    for (Detector d : detectors) {
      if (d.detector().equals(detector)) {
        return d;
      }
    }
    return null;
  }

  /** True when no detector takes its widths from the calibration. */
  public boolean isConfigured() {
    return detectors.isEmpty();
  }
}
