package org.nudaq.server.pipeline;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.nudaq.monitor.analysis.AnalysisTemplates;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.monitor.limits.LineTreatment;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.generator.PhysicsRecoilRates;
import org.nudaq.sim.generator.RecoilRates;

/**
 * The null-run study of issue 12: simulated years through the real simulator's event generator and
 * the daemon's pipeline and limits ({@link EventGenerator} → {@link SimulatorFeed} → {@link EventPipeline}
 * → {@link ExperimentLimits}, the same calls the daemon makes, in process and without TCP), one per
 * seed, and the pull of μ̂² and q̂² of each: (X̂ − X_true)/σ.
 *
 * <p>The faster simulator setting keeps the HPGe physics (neutrinos, continuum, Compton, cosmogenic
 * lines, tritium, noise, bursts) and the reactor cycle, and lowers only what costs time without
 * touching the HPGe spectra: NaI singles (50 → 0.05 Hz), muons (2 → 0.01 Hz) and the status period
 * (1 → 60 s); with statuses that far apart it raises the merge's idle timeout to 120 s, so that the
 * pipeline waits for every board and the veto stays complete (see {@link #configFor}). Usage (from the repository root, after {@code mvn -B -q -o -pl daq-server -am
 * -DskipTests test-compile}):
 * <pre>
 *   java -cp "daq-server/target/test-classes:daq-server/target/classes:monitor/target/classes:hardware-sim/target/classes:$(cat daq-server/target/classpath.txt)" \
 *     org.nudaq.server.pipeline.NullRunStudy [--config F] [--seeds N] [--first-seed S] [--days D] \
 *     [--lines on|off] [--line-treatment mask|none] [--inject-mu MUB] [--inject-q E0]
 * </pre>
 * Defaults: config/gemma-1.yaml, 20 seeds from 1, 360 days (one 330 ON / 30 OFF cycle), lines on
 * (the simulator's), the configuration's {@code analysis.lineTreatment} ({@code mask} in every
 * profile), no signal. Prints one line per seed, then the mean pulls and the fraction of seeds
 * beyond ±2σ. {@link #run(Settings, long, List)} evaluates one simulated year with several line
 * treatments, so a test can compare them on the same data.
 */
public final class NullRunStudy {
  private static final double SECONDS_PER_DAY = 86_400;

  /** One seed's result with one line treatment; μ in μB², q in e0², days of live time. */
  public record Pulls(long seed, LineTreatment lineTreatment, double muPull, double qPull, double muHat2,
      double muSigma2, double qHat2, double qSigma2, double onDays, double offDays) {}

  /**
   * The study's settings.
   *
   * @param lines          whether the simulator generates its cosmogenic X-ray lines
   * @param lineTreatment  the analysis's line treatment for {@link #run(Settings, long)}
   */
  public record Settings(NudaqConfig base, double days, boolean lines, double injectMuMuB, double injectQE0,
      LineTreatment lineTreatment) {
    /** With the configuration's own {@code analysis.lineTreatment}. */
    public Settings(NudaqConfig base, double days, boolean lines, double injectMuMuB, double injectQE0) {
      this(base, days, lines, injectMuMuB, injectQE0, AnalysisTemplates.lineTreatment(base.analysis()));
    }
  }

  private NullRunStudy() {}

  /** Detector time between the fast setting's status frames, s (the simulator's default is 1 s). */
  static final double FAST_STATUS_INTERVAL_SECONDS = 60;

  /**
   * The configuration of one seed: the base with the fast simulator setting, lines on or off, the signal.
   *
   * <p>The merge's data-time idle timeout is raised to twice the fast status interval. {@link SimulatorFeed}
   * hands the pipeline each board's events of a whole status interval at once, board after board, so with
   * statuses 60 s apart one board's data run up to 60 s ahead of the other's. With the configured 5 s
   * timeout the merge then takes the other board for idle and passes it by, and that board's NaI hits
   * arrive LATE: in GEMMA-II years a third of the second board's NaI hits, so ~17% of the Compton events
   * of both crystals escaped the veto. The escaped fraction follows the HPGe rates, which the decaying
   * lines make higher ON than OFF: part of the +0.45σ mean pull of μ̂² in GEMMA-II null years (removing
   * it moves the same seeds by −0.14 ± 0.06; docs/analysis.md, "Several detectors"). A single-board
   * set-up (GEMMA-I) was not affected.
   */
  static NudaqConfig configFor(Settings s, long seed) {
    SimulatorConfig b = s.base().simulator();
    SimulatorConfig sim = new SimulatorConfig(seed, b.schedule(), s.injectMuMuB(), s.injectQE0(), b.comptonPerKeVKgDay(),
        s.lines() ? b.xrayLines() : List.of(), b.tritiumPerKgDay(), b.noisePerKgDay(), b.noiseSlopeKeV(),
        b.burstEveryDays(), b.burstDurationSeconds(), b.burstRateHz(), 0.05, 0.01, b.hpgeDeadTimeNs(),
        b.aggregateMaxEvents(), b.aggregateMaxAgeMs(), FAST_STATUS_INTERVAL_SECONDS, b.bufferEvents());
    GateConfig g = s.base().gates();
    GateConfig gates = new GateConfig(g.rejectPileup(), g.rejectSaturated(), g.reactorStateSource(), g.reactorMarginSeconds(),
        g.qualitySliceSeconds(), g.qualityBandHighKeV(), g.qualityMaxRatio(),
        Math.max(g.mergeIdleTimeoutSeconds(), 2 * FAST_STATUS_INTERVAL_SECONDS));
    return s.base().withSimulator(sim).withGates(gates);
  }

  /** Runs one seed through generator, pipeline and limits with the settings' line treatment. */
  public static Pulls run(Settings s, long seed) {
    return run(s, seed, List.of(s.lineTreatment())).get(s.lineTreatment());
  }

  /** Runs one seed through generator and pipeline once, and the limits with each of the line treatments. */
  public static Map<LineTreatment, Pulls> run(Settings s, long seed, List<LineTreatment> treatments) {
    return run(s, seed, treatments, sink -> sink);
  }

  /**
   * As {@link #run(Settings, long, List)} with the generated events passed through {@code feedDecorator}
   * on their way to the pipeline (e.g. extra noise in one detector's chosen slices).
   */
  public static Map<LineTreatment, Pulls> run(Settings s, long seed, List<LineTreatment> treatments,
      java.util.function.UnaryOperator<org.nudaq.sim.generator.EventSink> feedDecorator) {
    return runWithSnapshot(s, seed, treatments, feedDecorator).pulls();
  }

  /** What a run gives: the pulls per line treatment and the pipeline's final snapshot. */
  public record Outcome(Map<LineTreatment, Pulls> pulls, PipelineSnapshot snapshot) {}

  /** As {@link #run(Settings, long, List, java.util.function.UnaryOperator)}, keeping the final snapshot. */
  public static Outcome runWithSnapshot(Settings s, long seed, List<LineTreatment> treatments,
      java.util.function.UnaryOperator<org.nudaq.sim.generator.EventSink> feedDecorator) {
    NudaqConfig config = configFor(s, seed);
    PipelineSnapshot snapshot = simulate(config, s.days(), feedDecorator);
    List<SpectrumSnapshot> on = new ArrayList<>();
    List<SpectrumSnapshot> off = new ArrayList<>();
    for (PipelineSnapshot.DetectorSnapshot d : snapshot.detectors()) {
      on.add(d.spectrum(Stage.AFTER_GATES, ReactorState.ON));
      off.add(d.spectrum(Stage.AFTER_GATES, ReactorState.OFF));
    }
    double muTrue = Math.pow(s.injectMuMuB(), 2);
    double qTrue = Math.pow(s.injectQE0(), 2);
    Map<LineTreatment, Pulls> out = new EnumMap<>(LineTreatment.class);
    for (LineTreatment t : treatments) {
      ExperimentResult r = ExperimentLimits.forConfig(config, t).update(on, off, Instant.EPOCH);
      if (r == null) {
        throw new IllegalStateException("seed " + seed + ": no live time in one reactor state after " + s.days() + " days");
      }
      out.put(t, new Pulls(seed, t, (r.muHat2() - muTrue) / r.muSigma2(), (r.qHat2() - qTrue) / r.qSigma2(),
          r.muHat2(), r.muSigma2(), r.qHat2(), r.qSigma2(), r.onLiveTimeDays(), r.offLiveTimeDays()));
    }
    return new Outcome(out, snapshot);
  }

  /**
   * Runs {@code days} of the configuration's simulator (its seed and injected signal) through the
   * pipeline, the generated events passed through {@code feedDecorator}, and returns the final snapshot.
   */
  static PipelineSnapshot simulate(NudaqConfig config, double days,
      java.util.function.UnaryOperator<org.nudaq.sim.generator.EventSink> feedDecorator) {
    List<RecoilRates> rates = PhysicsRecoilRates.perDetector(config);
    EventPipeline pipeline = new EventPipeline(config);
    SimulatorFeed feed = new SimulatorFeed(config, pipeline);
    EventGenerator generator = new EventGenerator(config, rates, feedDecorator.apply(feed));
    feed.start(generator);
    generator.generateUntil(Math.round(days * SECONDS_PER_DAY * 1e9));
    pipeline.finish();
    return pipeline.publish(Instant.EPOCH);
  }

  /** Mean of the μ pulls, of the q pulls, and the fractions of seeds beyond ±2σ (μ, q). */
  public static double[] summary(List<Pulls> pulls) {
    double mu = 0;
    double q = 0;
    double muOut = 0;
    double qOut = 0;
    for (Pulls p : pulls) {
      mu += p.muPull();
      q += p.qPull();
      muOut += Math.abs(p.muPull()) > 2 ? 1 : 0;
      qOut += Math.abs(p.qPull()) > 2 ? 1 : 0;
    }
    int n = pulls.size();
    return new double[] {mu / n, q / n, muOut / n, qOut / n};
  }

  public static void main(String[] args) {
    Path config = Path.of("config/gemma-1.yaml");
    int seeds = 20;
    long first = 1;
    double days = 360;
    boolean lines = true;
    LineTreatment treatment = null;
    double mu = 0;
    double q = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        usage("missing value after " + a);
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--config" -> config = Path.of(v);
          case "--seeds" -> seeds = Integer.parseInt(v);
          case "--first-seed" -> first = Long.parseLong(v);
          case "--days" -> days = Double.parseDouble(v);
          case "--lines" -> lines = switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new NumberFormatException("--lines takes on or off");
          };
          case "--line-treatment" -> treatment = switch (v) {
            case "mask" -> LineTreatment.MASK;
            case "none" -> LineTreatment.NONE;
            default -> throw new NumberFormatException("--line-treatment takes mask or none");
          };
          case "--inject-mu" -> mu = Double.parseDouble(v);
          case "--inject-q" -> q = Double.parseDouble(v);
          default -> usage("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        usage("bad value '" + v + "' for " + a + ": " + e.getMessage());
      }
    }
    if (seeds < 1 || !(days > 0)) {
      usage("need --seeds >= 1 and --days > 0");
    }
    NudaqConfig base = new ConfigLoader().load(config);
    Settings s = treatment == null ? new Settings(base, days, lines, mu, q)
        : new Settings(base, days, lines, mu, q, treatment);
    System.out.printf(Locale.ROOT,
        "# %s, %.0f days, schedule %s, lines %s, line treatment %s, injected mu %.3g muB, q %.3g e0, %d seeds%n",
        config, days, s.base().simulator().schedule(), lines ? "on" : "off", s.lineTreatment(), mu, q, seeds);
    System.out.println("# seed  pull(mu^2)  pull(q^2)  muHat2[muB^2]  sigma  qHat2[e0^2]  sigma  onDays  offDays  seconds");
    List<Pulls> all = new ArrayList<>();
    for (long seed = first; seed < first + seeds; seed++) {
      long t0 = System.nanoTime();
      Pulls p = run(s, seed);
      all.add(p);
      System.out.printf(Locale.ROOT, "%6d  %+10.3f  %+9.3f  %+.3e  %.3e  %+.3e  %.3e  %7.2f  %7.2f  %6.1f%n", p.seed(),
          p.muPull(), p.qPull(), p.muHat2(), p.muSigma2(), p.qHat2(), p.qSigma2(), p.onDays(), p.offDays(),
          (System.nanoTime() - t0) / 1e9);
    }
    double[] m = summary(all);
    System.out.printf(Locale.ROOT, "mean pull mu^2 %+.3f (±%.3f), q^2 %+.3f (±%.3f); beyond ±2 sigma: mu %.0f%%, q %.0f%%%n",
        m[0], 1 / Math.sqrt(all.size()), m[1], 1 / Math.sqrt(all.size()), 100 * m[2], 100 * m[3]);
    System.out.printf(Locale.ROOT, "# units: mu in (%.0e muB), q in (%.0e e0) templates%n", AnalysisTemplates.MU_UNIT_MUB,
        AnalysisTemplates.Q_UNIT_E0);
  }

  private static void usage(String problem) {
    System.err.println("nullrun: " + problem);
    System.err.println("usage: NullRunStudy [--config F] [--seeds N] [--first-seed S] [--days D] [--lines on|off]"
        + " [--line-treatment mask|none] [--inject-mu MUB] [--inject-q E0]");
    System.exit(2);
  }
}
