package org.nudaq.monitor.physics;

import java.util.Map;
import org.nudaq.monitor.config.AnalysisConfig;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.PhysicsConfig;
import org.nudaq.monitor.config.ReactorConfig;

/**
 * Maps a loaded configuration onto the physics model's parameter records, in one place, so the
 * simulator, the limits and the commands all use the same model for the same file. Stateless.
 */
public final class ConfiguredPhysics {
  private ConfiguredPhysics() {}

  /** The reactor of the configuration. */
  public static ReactorParameters reactor(ReactorConfig r) {
    Map<String, Double> f = r.fissionFractions();
    Map<String, Double> e = r.energyPerFissionMeV();
    SpectrumParametrisation p = switch (r.spectrumModel()) {
      case HUBER_MUELLER -> SpectrumParametrisation.HUBER_MUELLER;
      case VOGEL_ENGEL -> SpectrumParametrisation.VOGEL_ENGEL;
    };
    return new ReactorParameters(
        r.thermalPowerMW() / 1000.0,
        r.distanceM(),
        new FissionFractions(f.getOrDefault("u235", 0.0), f.getOrDefault("u238", 0.0),
            f.getOrDefault("pu239", 0.0), f.getOrDefault("pu241", 0.0)),
        new EnergyPerFission(e.get("u235"), e.get("u238"), e.get("pu239"), e.get("pu241")),
        ReactorSpectrumModel.defaults(p),
        r.fluxOverridePerCm2PerS());
  }

  /** The electron-binding treatment named in the configuration. */
  public static ElectronBinding binding(PhysicsConfig.Binding b) {
    return switch (b) {
      case FREE -> ElectronBinding.FREE_ELECTRON;
      case STEPPING -> ElectronBinding.STEPPING;
    };
  }

  /** All physics parameters of the configuration. */
  public static PhysicsParameters parameters(NudaqConfig c) {
    return new PhysicsParameters(
        reactor(c.reactor()),
        c.physics().sin2ThetaW(),
        binding(c.physics().binding()),
        PhysicsParameters.DEFAULT_MINIMUM_RECOIL_KEV);
  }

  /** The physics model of the configuration (builds its integral tables: tens of milliseconds). */
  public static PhysicsModel model(NudaqConfig c) {
    return new PhysicsModel(parameters(c));
  }

  /** The response of one detector. */
  public static DetectorResponse response(DetectorConfig d) {
    return new DetectorResponse(d.noiseFwhmKeV(), d.fanoFactor(), d.pairEnergyEV(), d.thresholdKeV(),
        d.thresholdWidthKeV(), d.massKg());
  }

  /** The binning of the recorded spectra. */
  public static BinningSpec binning(AnalysisConfig a) {
    return new BinningSpec(a.spectrumLowKeV(), a.spectrumHighKeV(), a.binWidthKeV());
  }
}
