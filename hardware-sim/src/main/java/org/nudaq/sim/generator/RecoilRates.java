package org.nudaq.sim.generator;

/**
 * Differential neutrino-electron scattering rates in one kilogram of germanium at true recoil
 * energy T, counts/(keV·kg·day), with the reactor ON, for the signal strengths the simulator
 * injects. Supplied by the monitor's physics model; implementations must be thread-safe.
 */
public interface RecoilRates {

  /** Standard-Model (weak) rate at T keV. */
  double weakPerKeVKgDay(double recoilKeV);

  /** Magnetic-moment rate at T keV for the injected μν (0 when none is injected). */
  double magneticPerKeVKgDay(double recoilKeV);

  /** Millicharge rate at T keV for the injected qν (0 when none is injected). */
  double millichargePerKeVKgDay(double recoilKeV);
}
