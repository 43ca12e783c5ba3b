package org.nudaq.monitor.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.nudaq.monitor.analysis.AnalysisTemplates;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.analysis.ResultDocument;
import org.nudaq.monitor.analysis.SystematicResult;
import org.nudaq.monitor.config.SystematicsConfig;
import org.nudaq.monitor.limits.JointFit;
import org.nudaq.monitor.limits.JointResult;
import org.nudaq.monitor.limits.LimitResult;

/**
 * The text form of {@code nudaq limits} beyond the two headline lines: for each parameter every field
 * a published result carries (best fit ± σ, interval and whether it is one- or two-sided, significance,
 * method, cross-section model, nuisances, exposure), then the systematic fit: each nuisance with its
 * constraint, pull and impact, the limits with and without nuisances, the joint fit and the tabulated
 * alternatives. The same numbers as the JSON ({@link ResultDocument}). Not thread-safe.
 */
final class SystematicsText {
  private static final double MU = AnalysisTemplates.MU_UNIT_MUB;
  private static final double Q = AnalysisTemplates.Q_UNIT_E0;
  private final PrintWriter out;

  SystematicsText(PrintWriter out) {
    this.out = out;
  }

  void print(ExperimentResult r) {
    SystematicResult s = r.systematics();
    out.printf(Locale.ROOT, "  exposure: ON %.3f days (%.2f kg·day), OFF %.3f days (%.2f kg·day) after the gates%n",
        r.onLiveTimeDays(), r.onExposureKgDays(), r.offLiveTimeDays(), r.offExposureKgDays());
    main("μν", r.mu(), MU, "μB", s == null ? null : s.muCrossSection());
    main("qν", r.q(), Q, "e0", s == null ? null : s.qCrossSection());
    if (s == null) {
      return;
    }
    out.printf(Locale.ROOT, "  systematics (%d nuisances, profiled%s):%n", s.sources().size(),
        s.fewCounts() ? "; few counts per bin: the χ² fit is approximate" : "");
    for (int k = 0; k < s.sources().size(); k++) {
      SystematicsConfig.Source src = s.sources().get(k);
      SystematicsConfig.Constraint c = s.constraints().get(k);
      SystematicResult.Impact i = s.impacts().get(k);
      out.printf(Locale.ROOT, "    %-22s σ = %g %s (%s), pull %+.2f; alone: μν < %.3e μB, |qν| < %.3e e0; "
              + "impact on σ(μν²) %.2e μB², σ(qν²) %.2e e0²%n",
          src.key(), c.sigma(), src.unit(), c.shape().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          s.joint().pulls()[k], Math.sqrt(i.mu().upper()) * MU, Math.sqrt(i.q().upper()) * Q,
          ResultDocument.quadratureExcess(i.mu().sigma(), s.statOnly().mu().sigma()) * MU * MU,
          ResultDocument.quadratureExcess(i.q().sigma(), s.statOnly().q().sigma()) * Q * Q);
    }
    one("μν (one at a time, all nuisances)", s.joint().mu(), MU, "μB");
    one("μν (one at a time, statistics only)", s.statOnly().mu(), MU, "μB");
    one("qν (one at a time, all nuisances)", s.joint().q(), Q, "e0");
    one("qν (one at a time, statistics only)", s.statOnly().q(), Q, "e0");
    joint("joint, all nuisances", s.joint());
    joint("joint, statistics only", s.statOnly());
    for (SystematicResult.Alternative a : s.alternatives()) {
      boolean mu = a.parameter().equals("mu");
      out.printf("  alternative model for %s: %s%n", mu ? "μν" : "qν", a.model());
      one("    with nuisances", a.withSystematics(), mu ? MU : Q, mu ? "μB" : "e0");
      one("    statistics only", a.statOnly(), mu ? MU : Q, mu ? "μB" : "e0");
    }
  }

  private void main(String name, LimitResult l, double unit, String u, String crossSection) {
    double lower = Math.sqrt(l.lowerLimitX()) * unit;
    double upper = Math.sqrt(l.upperLimitX()) * unit;
    out.printf(Locale.ROOT, "  %s: %s² = %.3e ± %.3e %s²; %s; significance %.2fσ; method %s; cross section: %s; "
            + "nuisances: none (statistics only)%n",
        name, name, l.xHat() * unit * unit, l.xSigma() * unit * unit, u,
        l.lowerLimitX() > 0 ? String.format(Locale.ROOT, "two-sided %.3e < %s < %.3e %s", lower, name, upper, u)
            : String.format(Locale.ROOT, "upper limit %s < %.3e %s", name, upper, u),
        Math.max(0, l.xHat() / l.xSigma()), l.method(), crossSection == null ? "physics.binding" : crossSection);
  }

  private void one(String title, JointFit.OneParameter p, double unit, String u) {
    out.printf(Locale.ROOT, "  %s: X = %.3e ± %.3e %s²; %s [%.3e, %.3e] %s; significance %.2fσ%n", title,
        p.hat() * unit * unit, p.sigma() * unit * unit, u, p.lower() > 0 ? "two-sided" : "upper limit",
        Math.sqrt(p.lower()) * unit, Math.sqrt(p.upper()) * unit, u, p.significance());
  }

  private void joint(String title, JointResult j) {
    out.printf(Locale.ROOT, "  %s: μν² = %.3e ± %.3e μB², qν² = %.3e ± %.3e e0², correlation %+.3f; "
            + "physical best fit (%.3e, %.3e); significance %.2fσ%s%n", title,
        j.aHat() * MU * MU, j.aSigma() * MU * MU, j.cHat() * Q * Q, j.cSigma() * Q * Q, j.correlation(),
        j.aPhysical() * MU * MU, j.cPhysical() * Q * Q, j.significance(),
        j.contourA().length == 0 ? "" : String.format(Locale.ROOT, "; %.0f%% CL region reaches μν %.3e μB, |qν| %.3e e0",
            100 * j.confidenceLevel(), Math.sqrt(j.contourMaxA()) * MU, Math.sqrt(j.contourMaxC()) * Q));
  }
}
