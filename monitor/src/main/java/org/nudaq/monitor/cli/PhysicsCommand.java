package org.nudaq.monitor.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.physics.ConfiguredPhysics;
import org.nudaq.monitor.physics.ElectronBinding;
import org.nudaq.monitor.physics.PhysicsModel;
import org.nudaq.monitor.physics.PhysicsParameters;
import org.nudaq.monitor.physics.ThresholdEstimate;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code nudaq physics}: the differential recoil rates of the physics model at chosen energies, for
 * weak scattering, μν = 1e-11 μB and qν = 1e-12 e0, with the flux used and the eq. 6 threshold
 * estimate for the profile's published μν limit.
 */
@Command(name = "physics", mixinStandardHelpOptions = true,
    description = "Differential rates in counts/(keV·kg·day) at the given recoil energies.")
public final class PhysicsCommand implements Callable<Integer> {
  /** The moment and charge the rates are quoted for. */
  static final double MU_MUB = 1e-11;
  static final double Q_E0 = 1e-12;

  @Mixin ConfigOption config;

  @Option(names = "--energies", split = ",", paramLabel = "KEV", defaultValue = "3,10,30",
      description = "recoil energies in keV, comma-separated (default: ${DEFAULT-VALUE})")
  List<Double> energiesKeV;

  @ArgGroup(exclusive = true)
  BindingChoice bindingChoice;

  static final class BindingChoice {
    @Option(names = "--stepping", description = "stepping approximation for Ge electron binding") boolean stepping;
    @Option(names = "--free", description = "all 32 Ge electrons free") boolean free;
  }

  @Option(names = "--json", description = "print JSON") boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    NudaqConfig c = config.load();
    for (double e : energiesKeV) {
      if (!(e > 0) || e > 1000) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--energies: each energy must be in (0, 1000] keV, got " + e);
      }
    }
    PhysicsParameters p = ConfiguredPhysics.parameters(c);
    if (bindingChoice != null) {
      p = p.withBinding(bindingChoice.stepping ? ElectronBinding.STEPPING : ElectronBinding.FREE_ELECTRON);
    }
    PhysicsModel model = new PhysicsModel(p);
    int n = energiesKeV.size();
    double[] weak = new double[n];
    double[] mu = new double[n];
    double[] q = new double[n];
    for (int i = 0; i < n; i++) {
      double t = energiesKeV.get(i);
      weak[i] = model.weakRate(t);
      mu[i] = model.magneticRate(t, MU_MUB);
      q[i] = model.millichargeRate(t, Q_E0);
    }
    DetectorConfig first = c.detectors().get(0);
    double muLimit = c.analysis().publishedMuLimitMuB();
    Double estimate = Double.isNaN(muLimit) ? null : ThresholdEstimate.millichargeBoundE0(first.thresholdKeV(), muLimit);
    boolean stepping = p.binding() == ElectronBinding.STEPPING;

    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("flux", model.fluxPerCm2PerS());
      m.put("energiesKeV", energiesKeV);
      m.put("weak", weak);
      m.put("magneticMoment", mu);
      m.put("millicharge", q);
      m.put("thresholdEstimateQ", estimate);
      m.put("stepping", stepping);
      m.put("units", Map.of(
          "flux", "antineutrinos/cm2/s",
          "rates", "counts/(keV kg day)",
          "magneticMoment", "for mu_nu = 1e-11 mu_B",
          "millicharge", "for q_nu = 1e-12 e0",
          "thresholdEstimateQ", "e0, eq. 6 at threshold " + first.thresholdKeV() + " keV for mu_nu = " + muLimit + " mu_B"));
      out.println(Json.write(m));
    } else {
      out.printf("%s (%s): flux %.4g ν̄/cm²/s, binding: %s%n", c.experiment(), config.file(), model.fluxPerCm2PerS(),
          stepping ? "stepping approximation" : "free electrons");
      out.println("rates in counts/(keV·kg·day)");
      out.printf("%10s %14s %18s %18s%n", "T [keV]", "weak", "μν=1e-11 μB", "qν=1e-12 e0");
      for (int i = 0; i < n; i++) {
        out.printf("%10.3f %14.4e %18.4e %18.4e%n", energiesKeV.get(i), weak[i], mu[i], q[i]);
      }
      if (estimate != null) {
        out.printf("eq. 6 at threshold %.3g keV with μν < %.3g μB: |qν| < %.2g e0%n", first.thresholdKeV(), muLimit, estimate);
      }
    }
    out.flush();
    return 0;
  }
}
