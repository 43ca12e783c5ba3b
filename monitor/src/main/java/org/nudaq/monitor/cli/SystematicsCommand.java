package org.nudaq.monitor.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExpectedWithSystematics;
import org.nudaq.monitor.analysis.SystematicsStudy;
import org.nudaq.monitor.config.NudaqConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code nudaq systematics-study}: the toy studies of the systematic fit ({@link SystematicsStudy}) on
 * a profile's window at one exposure, printed as the markdown tables of docs/analysis.md: coverage of
 * the one-at-a-time intervals and of the joint region with the nuisances drawn from their constraints,
 * the closure of the joint fit, and the flux 5% low study.
 */
@Command(name = "systematics-study", mixinStandardHelpOptions = true,
    description = "Toy studies of the systematic fit: coverage, closure, a wrong flux.")
public final class SystematicsCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--on-days", description = "ON live time, days (default: the profile's nominal)")
  Double onDays;

  @Option(names = "--off-days", description = "OFF live time, days (default: the profile's nominal)")
  Double offDays;

  @Option(names = "--toys", defaultValue = "2000", description = "toys per point (default: ${DEFAULT-VALUE})")
  int toys;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the first point (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--flux-factor", defaultValue = "0.95",
      description = "true flux / nominal in the wrong-flux study (default: ${DEFAULT-VALUE})")
  double fluxFactor;

  @Option(names = "--flux-sigmas", split = ",", defaultValue = "0,3,10,20",
      description = "true μν² in σ₀ for the wrong-flux study (default: ${DEFAULT-VALUE})")
  List<Double> fluxSigmas;

  @Option(names = "--expected", description = "print only the expected limits with and without nuisances, as a "
      + "markdown row (docs/analysis.md)")
  boolean expected;

  @Option(names = "--impacts", description = "print each nuisance's impact on the median expected limits, as "
      + "markdown rows (docs/analysis.md)")
  boolean impacts;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    NudaqConfig c = config.load();
    if (toys < 10) {
      throw new ParameterException(spec.commandLine(), "--toys must be >= 10, got " + toys);
    }
    double on = onDays != null ? onDays : c.analysis().nominalOnHours() / 24.0;
    double off = offDays != null ? offDays : c.analysis().nominalOffHours() / 24.0;
    if (!(on > 0) || !(off > 0)) {
      throw new ParameterException(spec.commandLine(), "--on-days and --off-days must be > 0");
    }
    ExperimentLimits limits = ExperimentLimits.forConfig(c);
    PrintWriter out = spec.commandLine().getOut();
    if (impacts) {
      org.nudaq.monitor.limits.JointFit j = limits.systematicFitter().joint();
      double mu0 = ExpectedWithSystematics.median(limits, on, off, true, j.none());
      double q0 = ExpectedWithSystematics.median(limits, on, off, false, j.none());
      var sources = limits.systematicFitter().templates().sources();
      for (int k = 0; k < sources.size(); k++) {
        double mu = ExpectedWithSystematics.median(limits, on, off, true, j.only(k));
        double q = ExpectedWithSystematics.median(limits, on, off, false, j.only(k));
        out.printf(Locale.ROOT, "| %s | %s | %.3g μB | %+.2f%% | %.3g e0 | %+.2f%% |%n", c.experiment(), sources.get(k).key(),
            mu, 100 * (mu / mu0 - 1), q, 100 * (q / q0 - 1));
      }
      double mu = ExpectedWithSystematics.median(limits, on, off, true, j.all());
      double q = ExpectedWithSystematics.median(limits, on, off, false, j.all());
      out.printf(Locale.ROOT, "| %s | all | %.3g μB | %+.2f%% | %.3g e0 | %+.2f%% |%n", c.experiment(), mu,
          100 * (mu / mu0 - 1), q, 100 * (q / q0 - 1));
      return 0;
    }
    if (expected) {
      double[] mu = ExpectedWithSystematics.limits(limits, on, off, true);
      double[] q = ExpectedWithSystematics.limits(limits, on, off, false);
      out.printf(Locale.ROOT, "| %s | %.0f/%.0f | %.3g μB (%.3g – %.3g) | %.3g μB (%.3g – %.3g) | %+.1f%% | "
              + "%.3g e0 (%.3g – %.3g) | %.3g e0 (%.3g – %.3g) | %+.1f%% |%n", c.experiment(), on * 24, off * 24,
          mu[3], mu[4], mu[5], mu[0], mu[1], mu[2], 100 * (mu[0] / mu[3] - 1),
          q[3], q[4], q[5], q[0], q[1], q[2], 100 * (q[0] / q[3] - 1));
      return 0;
    }
    SystematicsStudy study = new SystematicsStudy(limits);
    out.printf(Locale.ROOT, "%s, %.2f/%.2f days ON/OFF, %d toys per point, nuisances %s; σ₀(μν²) = %.4g, σ₀(qν²) = %.4g "
            + "(units (1e-11 μB)², (1e-12 e0)²)%n%n", c.experiment(), on, off, toys, study.templates().sources(),
        study.sigmaAtZero(on, off, true), study.sigmaAtZero(on, off, false));
    out.println("Coverage and closure, nuisances drawn from their constraints:");
    out.println();
    out.println("| true (μν², qν²) in σ₀ | μν² alone: with nuisances / stat only | qν² alone: with / stat only "
        + "| joint region: with / stat only | joint pull μ̂² | joint pull q̂² | within 2σ: μ̂² / q̂² | one-at-a-time μ̂² pull, stat only |");
    out.println("|---|---|---|---|---|---|---|---|");
    double[][] points = {{0, 0}, {1, 0}, {3, 0}, {0, 1}, {0, 3}, {3, 3}};
    long s = seed;
    for (double[] p : points) {
      SystematicsStudy.Point r = study.run(on, off, p[0], p[1], toys, s++, true, 1.0);
      out.printf(Locale.ROOT, "| (%.0f, %.0f) | %s | %s | %.1f%% / %.1f%% | %+.3f | %+.3f | %.1f%% / %.1f%% | %+.2f |%n",
          p[0], p[1], p[1] == 0 ? pct(r.muCovered(), r.muStatCovered()) : "—",
          p[0] == 0 ? pct(r.qCovered(), r.qStatCovered()) : "—", 100 * r.jointCovered(), 100 * r.jointStatCovered(),
          r.muPull(), r.qPull(), 100 * r.muWithin2(), 100 * r.qWithin2(), r.muStatPull());
      out.flush();
    }
    out.println();
    out.printf(Locale.ROOT, "Flux %.0f%% of nominal in the truth (no nuisance drawn), μν² one at a time:%n%n", 100 * fluxFactor);
    out.println("| true μν² in σ₀ | coverage, flux nuisance | coverage, stat only | mean pull, flux nuisance | "
        + "mean pull, stat only | coverage, all nuisances |");
    out.println("|---|---|---|---|---|---|");
    for (double x : fluxSigmas) {
      SystematicsStudy.Point r = study.run(on, off, x, 0, toys, s++, false, fluxFactor);
      out.printf(Locale.ROOT, "| %.0f | %.1f%% | %.1f%% | %+.3f | %+.3f | %.1f%% |%n", x, 100 * r.muFluxCovered(),
          100 * r.muStatCovered(), r.muFluxPull(), r.muStatPull(), 100 * r.muCovered());
      out.flush();
    }
    return 0;
  }

  private static String pct(double a, double b) {
    return String.format(Locale.ROOT, "%.1f%% / %.1f%%", 100 * a, 100 * b);
  }
}
