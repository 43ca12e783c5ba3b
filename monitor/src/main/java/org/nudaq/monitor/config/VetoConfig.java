package org.nudaq.monitor.config;

/**
 * The NaI anticoincidence and the dead time after muons.
 *
 * @param naiThresholdKeV   an NaI hit vetoes only above this energy, keV
 * @param windowBeforeNs    an NaI hit up to this long before an HPGe event vetoes it, ns
 * @param windowAfterNs     an NaI hit up to this long after an HPGe event vetoes it, ns
 * @param muonThresholdKeV  NaI hits above this energy are muons, keV
 * @param muonDeadTimeNs    after a muon the HPGe is gated for this long (delayed neutron hits), ns;
 *                          subtracted from live time exactly
 */
public record VetoConfig(
    double naiThresholdKeV,
    long windowBeforeNs,
    long windowAfterNs,
    double muonThresholdKeV,
    long muonDeadTimeNs) {

  static VetoConfig bind(ConfigNode n) {
    double thr = n.number("naiThresholdKeV", 40);
    n.requireNonNegative("naiThresholdKeV", thr);
    double before = n.number("windowBeforeNs", 1_000);
    n.requireRange("windowBeforeNs", before, 0, 1e9);
    double after = n.number("windowAfterNs", 2_000);
    n.requireRange("windowAfterNs", after, 0, 1e9);
    double muon = n.number("muonThresholdKeV", 10_000);
    if (!Double.isNaN(muon) && muon <= thr) {
      n.error("muonThresholdKeV", "must be above naiThresholdKeV (" + ConfigNode.format(thr) + "), got " + ConfigNode.format(muon));
    }
    double dead = n.number("muonDeadTimeNs", 100_000);
    n.requireRange("muonDeadTimeNs", dead, 0, 1e10);
    return new VetoConfig(thr, (long) before, (long) after, muon, (long) dead);
  }
}
