package org.nudaq.monitor.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.nudaq.monitor.analysis.AnalysisTemplates;
import org.nudaq.monitor.analysis.CoverageStudy;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.config.NudaqConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code nudaq coverage}: the toy-experiment coverage study of the published limits on a profile's
 * own window and templates ({@link CoverageStudy}), printed as the markdown table of
 * docs/analysis.md. The nominal exposure of the profile is always added to the given ones.
 */
@Command(name = "coverage", mixinStandardHelpOptions = true,
    description = "Coverage of the published 90% CL limits by toy experiments on the profile's window.")
public final class CoverageCommand implements Callable<Integer> {

  @Mixin ConfigOption config;

  @Option(names = "--exposures", split = ",", paramLabel = "ON/OFF", defaultValue = "1/0.5,2/1,4/2,7/3,30/10",
      description = "ON/OFF live times in days, comma-separated (default: ${DEFAULT-VALUE}); the nominal exposure is added")
  List<String> exposures;

  @Option(names = "--sigmas", split = ",", paramLabel = "K", defaultValue = "0,1,3",
      description = "true X in units of the background-only σ of X̂ (default: ${DEFAULT-VALUE})")
  List<Double> sigmas;

  @Option(names = "--toys", defaultValue = "2000", description = "toys per point (default: ${DEFAULT-VALUE})")
  int toys;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the first point (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--parameter", defaultValue = "MU", description = "MU (μν²) or Q (qν²) (default: ${DEFAULT-VALUE})")
  CoverageStudy.Parameter parameter;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    NudaqConfig c = config.load();
    if (toys < 10) {
      throw new ParameterException(spec.commandLine(), "--toys must be >= 10, got " + toys);
    }
    ExperimentLimits limits = ExperimentLimits.forConfig(c);
    AnalysisTemplates templates = limits.templates();
    CoverageStudy study = new CoverageStudy(templates, ExperimentLimits.settings(c.analysis())
        .withLineTreatment(templates.lineTreatment()), parameter);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s, %s, %d toys per point, lines %s (%d bins masked)%n%n", c.experiment(), parameter, toys,
        templates.lineTreatment(), templates.maskedBinCount());
    out.println("| ON/OFF days | true X | method | coverage (lower ≤ X ≤ upper) | X ≤ upper |");
    out.println("|---|---|---|---|---|");
    long s = seed;
    for (double[] e : exposures(c)) {
      for (double k : sigmas) {
        CoverageStudy.Point p = study.run(e[0], e[1], k, toys, s++);
        out.printf("| %s/%s | %.0fσ | %s | %.1f ± %.1f%% | %.1f%% |%n", fmt(e[0]), fmt(e[1]), k, p.mainMethod(),
            100 * p.coverage(), 100 * p.coverageError(), 100 * p.upperCoverage());
        out.flush();
      }
    }
    return 0;
  }

  private List<double[]> exposures(NudaqConfig c) {
    List<double[]> out = new java.util.ArrayList<>();
    for (String e : exposures) {
      String[] parts = e.split("/");
      try {
        double on = Double.parseDouble(parts[0]);
        double off = Double.parseDouble(parts[1]);
        if (parts.length != 2 || !(on > 0) || !(off > 0)) {
          throw new NumberFormatException();
        }
        out.add(new double[] {on, off});
      } catch (RuntimeException ex) {
        throw new ParameterException(spec.commandLine(), "--exposures: expected ON/OFF days > 0 such as 7/3, got '" + e + "'");
      }
    }
    out.add(new double[] {c.analysis().nominalOnHours() / 24, c.analysis().nominalOffHours() / 24});
    return out;
  }

  private static String fmt(double days) {
    return days == Math.rint(days) ? String.valueOf((long) days) : String.valueOf(Math.round(days * 100) / 100.0);
  }
}
