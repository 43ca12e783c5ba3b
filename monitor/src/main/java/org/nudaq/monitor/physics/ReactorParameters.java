package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requireNonNull;
import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requirePositive;

import java.util.OptionalDouble;

/**
 * The reactor as a ν̄ source: thermal power in GW_th, distance from the core to the detector in m,
 * fission fractions, energy per fission, the spectrum model and an optional flux override in
 * ν̄/cm²/s. When the override is present it replaces the computed flux Φ = P_th/(Σ f_i ε_i)·n_ν/(4π
 * L²); the spectrum shape is kept and normalised to it. A {@code null} override means none.
 */
public record ReactorParameters(
    double thermalPowerGW,
    double distanceM,
    FissionFractions fissionFractions,
    EnergyPerFission energyPerFission,
    ReactorSpectrumModel spectrumModel,
    OptionalDouble fluxOverridePerCm2PerS) {

  public ReactorParameters {
    requirePositive("thermalPowerGW", thermalPowerGW);
    requirePositive("distanceM", distanceM);
    requireNonNull("fissionFractions", fissionFractions);
    requireNonNull("energyPerFission", energyPerFission);
    requireNonNull("spectrumModel", spectrumModel);
    if (fluxOverridePerCm2PerS == null) {
      fluxOverridePerCm2PerS = OptionalDouble.empty();
    }
    if (fluxOverridePerCm2PerS.isPresent()) {
      requirePositive("fluxOverridePerCm2PerS", fluxOverridePerCm2PerS.getAsDouble());
    }
  }

  /** Power and distance with typical fractions, Ma et al. energies, Huber+Mueller, no override. */
  public static ReactorParameters of(double thermalPowerGW, double distanceM) {
    return new ReactorParameters(
        thermalPowerGW,
        distanceM,
        FissionFractions.typical(),
        EnergyPerFission.ma2013(),
        ReactorSpectrumModel.defaults(),
        OptionalDouble.empty());
  }

  /** A copy with the flux fixed to the given value in ν̄/cm²/s. */
  public ReactorParameters withFluxOverride(double fluxPerCm2PerS) {
    return new ReactorParameters(
        thermalPowerGW, distanceM, fissionFractions, energyPerFission, spectrumModel,
        OptionalDouble.of(fluxPerCm2PerS));
  }

  /** A copy with another spectrum model. */
  public ReactorParameters withSpectrumModel(ReactorSpectrumModel model) {
    return new ReactorParameters(
        thermalPowerGW, distanceM, fissionFractions, energyPerFission, model,
        fluxOverridePerCm2PerS);
  }
}
