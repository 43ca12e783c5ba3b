package org.nudaq.monitor.spectrum;

/**
 * Two spectra cannot be combined: a merge or restore between spectra of different binning, mass or
 * (for restore) labels. The message names both spectra and the differing values.
 */
public final class SpectrumMismatchException extends IllegalArgumentException {

  public SpectrumMismatchException(String message) {
    super(message);
  }
}
