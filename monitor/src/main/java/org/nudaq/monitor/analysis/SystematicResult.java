package org.nudaq.monitor.analysis;

import java.util.List;
import org.nudaq.monitor.config.SystematicsConfig;
import org.nudaq.monitor.limits.JointFit;
import org.nudaq.monitor.limits.JointResult;

/**
 * The systematic part of one limits update: the joint (μν², qν²) fit with every configured nuisance
 * profiled and without any, each nuisance's impact, and the tabulated atomic-response results next
 * to the main ones. X values in the templates' unit scales ((1e-11 μB)², (1e-12 e0)²); the JSON
 * ({@link ResultDocument}) converts to physical units. Immutable.
 *
 * @param sources        the nuisances used (σ &gt; 0), in fit order
 * @param constraints    their constraints, same order
 * @param joint          the joint fit with all of them
 * @param statOnly       the joint fit with none (no contour)
 * @param impacts        per nuisance, the one-at-a-time fits with that nuisance alone
 * @param muCrossSection the μν template's cross-section model, with its provenance
 * @param qCrossSection  the qν template's model
 * @param alternatives   results with a tabulated atomic-response model (never the main result)
 * @param fewCounts      true when some used bin holds fewer than 20 ON or OFF counts: the χ² fit is then
 *                       only approximate (the statistics-only limits use the merged-bin likelihood)
 */
public record SystematicResult(
    List<SystematicsConfig.Source> sources,
    List<SystematicsConfig.Constraint> constraints,
    JointResult joint,
    JointResult statOnly,
    List<Impact> impacts,
    String muCrossSection,
    String qCrossSection,
    List<Alternative> alternatives,
    boolean fewCounts) {

  /**
   * One nuisance alone.
   *
   * @param source the nuisance
   * @param mu     μν² alone (qν² = 0) with only this nuisance
   * @param q      qν² alone with only this nuisance
   */
  public record Impact(SystematicsConfig.Source source, JointFit.OneParameter mu, JointFit.OneParameter q) {}

  /**
   * A parameter's result with a tabulated atomic-response model.
   *
   * @param parameter        "mu" or "q"
   * @param model            the table, with its {@code # source:} line
   * @param withSystematics  one-at-a-time fit with all nuisances
   * @param statOnly         one-at-a-time fit without nuisances
   */
  public record Alternative(String parameter, String model, JointFit.OneParameter withSystematics,
      JointFit.OneParameter statOnly) {}
}
