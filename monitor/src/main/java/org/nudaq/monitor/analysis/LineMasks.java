package org.nudaq.monitor.analysis;

import java.util.List;

/**
 * What the line masks of a result were built with, line by line, so that every result names where the
 * widths came from (docs/analysis.md, "What the limits take from the calibration"): the configured resolution or the online
 * calibration's epochs ({@link LineWidths}). Immutable.
 *
 * @param source     {@code configured}, {@code calibration} (every detector), or {@code mixed}
 * @param sigmas     k of the mask ({@code analysis.lineMaskSigmas})
 * @param detectors  per detector, in the templates' order
 */
public record LineMasks(String source, double sigmas, List<DetectorMasks> detectors) {

  public LineMasks {
    detectors = List.copyOf(detectors);
  }

  /**
   * One detector's masks.
   *
   * @param detector        detector name
   * @param source          {@code configured} or {@code calibration}
   * @param epochs          calibration epochs the widths were taken from (0: configured)
   * @param firstEpochAtNs  data time of the oldest of them, ns (null: configured)
   * @param lastEpochAtNs   data time of the newest, ns (null: configured)
   * @param lines           each configured line's mask
   */
  public record DetectorMasks(String detector, String source, int epochs, Long firstEpochAtNs, Long lastEpochAtNs,
      List<Line> lines) {
    public DetectorMasks {
      lines = List.copyOf(lines);
    }
  }

  /**
   * One line's mask: the bins overlapping [E − halfWidthKeV, E + halfWidthKeV] are masked.
   *
   * @param name          the line's name
   * @param energyKeV     its energy, keV
   * @param sigmaKeV      the σ used, keV
   * @param halfWidthKeV  k·σ, keV
   * @param channel       the channel of the epoch whose σ was the widest (null: configured)
   * @param epochAtNs     that epoch's data time, ns (null: configured)
   */
  public record Line(String name, double energyKeV, double sigmaKeV, double halfWidthKeV, String channel,
      Long epochAtNs) {}
}
