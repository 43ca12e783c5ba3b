package org.nudaq.monitor.calibration;

/**
 * One fitted line: a Gaussian on a linear background in a raw (ADC) spectrum, by binned Poisson maximum
 * likelihood ({@link PeakFitter}). Positions and widths in ADC channels; errors are one standard deviation
 * from the inverse Fisher information at the optimum. Immutable.
 *
 * @param energyKeV       the known energy of the line, keV
 * @param positionAdc     fitted mean, ADC channels
 * @param positionErrAdc  its standard error, ADC channels
 * @param sigmaAdc        fitted Gaussian σ, ADC channels
 * @param sigmaErrAdc     its standard error, ADC channels
 * @param netCounts       counts in the line (above the background)
 * @param netCountsErr    their standard error
 * @param chi2            Pearson χ² of the fit window
 * @param ndf             degrees of freedom (bins − parameters)
 */
public record LineFit(double energyKeV, double positionAdc, double positionErrAdc, double sigmaAdc, double sigmaErrAdc,
    double netCounts, double netCountsErr, double chi2, int ndf) {}
