package org.nudaq.sim.generator;

import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.physics.ConfiguredPhysics;
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

  /**
   * One rate per detector of {@code config} (as {@link EventGenerator} takes them), each from the configured
   * physics model with the simulator's injected signal strengths ({@code simulator.injectMuMuB}, {@code injectQE0}).
   */
  public static List<RecoilRates> perDetector(NudaqConfig config) {
    PhysicsModel model = ConfiguredPhysics.model(config);
    List<RecoilRates> rates = new ArrayList<>();
    for (DetectorConfig ignored : config.detectors()) {
      rates.add(new PhysicsRecoilRates(model, config.simulator().injectMuMuB(), config.simulator().injectQE0()));
    }
    return rates;
  }

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
