package org.nudaq.sim.generator;

import org.nudaq.monitor.physics.PhysicsModel;

/**
 * Recoil rates from the monitor's physics model, for the signal strengths the simulator injects:
 * the same model the limits use, so that what is injected is what the analysis looks for.
 * Immutable and thread-safe.
 *
 * @param model       the physics model (reactor, cross sections, binding)
 * @param injectMuMuB injected magnetic moment, μB
 * @param injectQE0   injected millicharge, e0
 */
public record PhysicsRecoilRates(PhysicsModel model, double injectMuMuB, double injectQE0) implements RecoilRates {

  @Override
  public double weakPerKeVKgDay(double recoilKeV) {
    return model.weakRate(recoilKeV);
  }

  @Override
  public double magneticPerKeVKgDay(double recoilKeV) {
    return injectMuMuB == 0 ? 0 : model.magneticRate(recoilKeV, injectMuMuB);
  }

  @Override
  public double millichargePerKeVKgDay(double recoilKeV) {
    return injectQE0 == 0 ? 0 : model.millichargeRate(recoilKeV, injectQE0);
  }
}
