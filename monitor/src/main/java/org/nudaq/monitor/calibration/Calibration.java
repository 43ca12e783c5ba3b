package org.nudaq.monitor.calibration;

import java.util.List;

/**
 * The result of one calibration attempt of a channel: when it was made (data time), over which data, what
 * came out and, when {@link CalibrationStatus#applied()}, the energy scale and resolution curve valid from
 * then on (an epoch, until the next applied one). Immutable.
 *
 * @param status          what the attempt came to
 * @param atNs            data time of the attempt (end of the data it used), ns
 * @param windowStartNs   data time of the oldest data it used, ns
 * @param scale           the fitted energy scale (when applied; otherwise the one that stays)
 * @param resolution      the fitted resolution curve (when applied; otherwise the one that stays)
 * @param lines           the fitted lines
 * @param maxShiftKeV     how far this scale moves the fitted lines compared with the scale in force before it (the
 *                        configured one before the first): the largest {@code before.energyKeV(scale.adc(E)) − E}
 *                        over the lines' energies E, keV (signed); 0 when not applied (the metric
 *                        nudaq_calibration_shift_kev; a line's own fitted position is not used: it scatters more)
 * @param message         one line for the operator: what happened and why
 */
public record Calibration(CalibrationStatus status, long atNs, long windowStartNs, EnergyScale scale,
    ResolutionCurve resolution, List<LineFit> lines, double maxShiftKeV, String message) {

  public Calibration {
    lines = List.copyOf(lines);
  }
}
