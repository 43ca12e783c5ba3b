package org.nudaq.server.daemon;

import java.nio.file.Path;
import org.nudaq.monitor.config.NudaqConfig;

/** {@link SimulatedRun} for tests outside this package. */
public final class SimulatedRuns {
  private SimulatedRuns() {}

  /** See {@link SimulatedRun#gemma1Closure}. */
  public static NudaqConfig gemma1Closure(double onDays, double offDays, double injectMuMuB, long seed) {
    return SimulatedRun.gemma1Closure(onDays, offDays, injectMuMuB, seed);
  }

  /** Runs the simulator for {@code days} detector days into a daemon with data in {@code dir}; returns the closed daemon. */
  public static Daemon runToEnd(NudaqConfig config, double days, Path dir) throws Exception {
    SimulatedRun run = SimulatedRun.start(config, days, "", dir);
    run.finish(120);
    return run.daemon;
  }
}
