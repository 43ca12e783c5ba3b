package org.nudaq.server.pipeline;

/** The pipeline stage after which an HPGe spectrum is filled. */
public enum Stage {
  /** Every valid HPGe event (known channel, not fake, not late). */
  ALL("all"),
  /** Events that survived the NaI anticoincidence. */
  AFTER_VETO("after-veto"),
  /** Events that survived the veto, the flag cuts and every gate: the analysis spectrum. */
  AFTER_GATES("after-gates");

  private final String label;

  Stage(String label) {
    this.label = label;
  }

  /** The stage label used in spectrum names ({@code SpectrumLabels.stage}). */
  public String label() {
    return label;
  }
}
