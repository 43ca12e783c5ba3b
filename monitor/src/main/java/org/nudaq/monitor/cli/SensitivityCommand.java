package org.nudaq.monitor.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nudaq.monitor.analysis.AnalysisTemplates;
import org.nudaq.monitor.analysis.ExpectedLimits;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.limits.LineTreatment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nudaq sensitivity}: expected 90% CL limits on μν and qν for an exposure. */
@Command(name = "sensitivity", mixinStandardHelpOptions = true,
    description = "Expected (median, background-only) limits on μν and |qν| for an exposure, with the ±1σ band.")
public final class SensitivityCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--on-hours", paramLabel = "H", description = "reactor-ON live time in hours (default: the profile's nominalOnHours)")
  Double onHours;

  @Option(names = "--off-hours", paramLabel = "H", description = "reactor-OFF live time in hours (default: the profile's nominalOffHours)")
  Double offHours;

  @Option(names = "--json", description = "print JSON") boolean json;

  @Option(names = "--lines", paramLabel = "TREATMENT",
      description = "line treatment: MASK or NONE (default: the profile's analysis.lineTreatment); NONE shows what the mask costs")
  LineTreatment lines;

  @Option(names = "--markdown", paramLabel = "FILE", arity = "1..*",
      description = "print a Markdown table of the expected limits of these profiles at their nominal exposures (docs/analysis.md)")
  List<java.nio.file.Path> markdown;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (markdown != null) {
      printMarkdown(spec.commandLine().getOut());
      return 0;
    }
    NudaqConfig c = config.load();
    double on = onHours != null ? onHours : c.analysis().nominalOnHours();
    double off = offHours != null ? offHours : c.analysis().nominalOffHours();
    if (!(on > 0) || !(off > 0)) {
      throw new ParameterException(spec.commandLine(), "--on-hours and --off-hours must be > 0, got " + on + " and " + off);
    }
    ExpectedLimits e = limitsFor(c).expected(on / 24, off / 24);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = toMap(c, e, on, off);
      m.put("lineTreatment", treatment(c).name());
      out.println(Json.write(m));
    } else {
      out.printf("%s (%s): expected %.0f%% CL limits for %.0f h ON, %.0f h OFF (%s; lines: %s)%n", c.experiment(),
          config.file(), 100 * e.confidenceLevel(), on, off, e.method(), treatment(c));
      out.printf("  μν  < %.2e μB   (±1σ band %.2e .. %.2e)%s%n", e.muLimit(), e.muMinus1(), e.muPlus1(),
          published(c.analysis().publishedMuLimitMuB(), "μB"));
      out.printf("  |qν| < %.2e e0   (±1σ band %.2e .. %.2e)%s%n", e.qLimit(), e.qMinus1(), e.qPlus1(),
          published(c.analysis().publishedQLimitE0(), "e0"));
      out.printf("  eq. 6 estimate from the μν limit: |qν| ~ %.2e e0%n", e.thresholdEstimateQ());
    }
    out.flush();
    return 0;
  }

  private void printMarkdown(PrintWriter out) {
    out.println("| profile | ON h | OFF h | threshold keV | expected μν (90% CL) | ±1σ band | published μν | expected \\|qν\\| | ±1σ band | published \\|qν\\| | eq. 6 from expected μν |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (java.nio.file.Path f : markdown) {
      NudaqConfig c = new org.nudaq.monitor.config.ConfigLoader().load(f);
      double on = c.analysis().nominalOnHours();
      double off = c.analysis().nominalOffHours();
      ExpectedLimits e = limitsFor(c).expected(on / 24, off / 24);
      out.printf("| %s | %.0f | %.0f | %.3g | %.2e μB | %.2e – %.2e | %.2g μB | %.2e e0 | %.2e – %.2e | %.2g e0 | %.2e e0 |%n",
          c.experiment(), on, off, c.detectors().get(0).thresholdKeV(), e.muLimit(), e.muMinus1(), e.muPlus1(),
          c.analysis().publishedMuLimitMuB(), e.qLimit(), e.qMinus1(), e.qPlus1(), c.analysis().publishedQLimitE0(),
          e.thresholdEstimateQ());
    }
    out.flush();
  }

  /** The configured line treatment, or the one of --lines. */
  private LineTreatment treatment(NudaqConfig c) {
    return lines != null ? lines : AnalysisTemplates.lineTreatment(c.analysis());
  }

  private ExperimentLimits limitsFor(NudaqConfig c) {
    return ExperimentLimits.forConfig(c, treatment(c));
  }

  private static String published(double value, String unit) {
    return Double.isNaN(value) ? "" : String.format("   published: %.2g %s", value, unit);
  }

  static Map<String, Object> toMap(NudaqConfig c, ExpectedLimits e, double onHours, double offHours) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("experiment", c.experiment());
    m.put("onHours", onHours);
    m.put("offHours", offHours);
    m.put("confidenceLevel", e.confidenceLevel());
    m.put("muLimit90", e.muLimit());
    m.put("muBand", List.of(e.muMinus1(), e.muPlus1()));
    m.put("qLimit90", e.qLimit());
    m.put("qBand", List.of(e.qMinus1(), e.qPlus1()));
    m.put("thresholdEstimateQ", e.thresholdEstimateQ());
    m.put("method", e.method().name());
    m.put("publishedMuLimit", Double.isNaN(c.analysis().publishedMuLimitMuB()) ? null : c.analysis().publishedMuLimitMuB());
    m.put("publishedQLimit", Double.isNaN(c.analysis().publishedQLimitE0()) ? null : c.analysis().publishedQLimitE0());
    m.put("units", Map.of("mu", "mu_B", "q", "e0"));
    return m;
  }
}
