/**
 * Energy spectra: fixed binning, the fillable {@code EnergySpectrum} (single writer), its immutable
 * {@code SpectrumSnapshot} for readers, and the documented JSON and CSV formats.
 */
package org.nudaq.monitor.spectrum;
