package org.nudaq.monitor.config;

/**
 * A CoMPASS run folder followed live as CoMPASS writes it ({@code compass.follow}): the daemon reads
 * every channel list file as it grows instead of taking the boards {@code compass.channels} maps onto
 * from nudaq-protocol connections. Immutable.
 *
 * @param directory     CoMPASS's DAQ folder holding one folder per run (or one run folder), as given
 *                      (relative paths against the daemon's working directory)
 * @param pollMillis    how often a file that has no new complete record is looked at again, ms
 * @param settleSeconds a new run folder is started once its set of channel files has not changed for
 *                      this long (CoMPASS creates every channel's file when the run starts), s
 * @param reactor       one reactor state for everything followed ({@code ON}/{@code OFF}, as
 *                      {@code replay --compass --reactor}), or null: the daemon's usual reactor state
 *                      (gates.reactorStateSource: control, the control API or {@code run --reactor-timeline})
 */
public record CompassFollowConfig(String directory, int pollMillis, double settleSeconds, String reactor) {

  static CompassFollowConfig bind(ConfigNode n) {
    String dir = n.text("directory", "");
    if (dir.isBlank()) {
      n.error("directory", "is required: CoMPASS's DAQ folder (the folder holding its run folders)");
    }
    int poll = n.integer("pollMillis", 200);
    if (poll < 1 || poll > 60_000) {
      n.error("pollMillis", "must be 1..60000 ms, got " + poll);
    }
    double settle = n.number("settleSeconds", 1);
    n.requireRange("settleSeconds", settle, 0, 600);
    String reactor = n.has("reactor") ? n.text("reactor", "").toUpperCase(java.util.Locale.ROOT) : null;
    // YAML 1.1 reads an unquoted on/off as a boolean.
    reactor = "TRUE".equals(reactor) ? "ON" : "FALSE".equals(reactor) ? "OFF" : reactor;
    if (reactor != null && !reactor.equals("ON") && !reactor.equals("OFF")) {
      n.error("reactor", "must be on or off (one state for everything followed), got '" + reactor.toLowerCase(java.util.Locale.ROOT) + "'");
    }
    return new CompassFollowConfig(dir, poll, settle, reactor);
  }
}
