package org.nudaq.server.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.HttpConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;
import org.nudaq.server.stress.SimulatorToDaemon;

/**
 * The real simulator serving on 127.0.0.1 (any free port) and the real daemon reading it, for a
 * number of detector days at full speed ({@link SimulatorToDaemon} with max pacing), with the
 * closure configuration of the end-to-end physics tests.
 */
final class SimulatedRun {
  final NudaqConfig config;
  final Simulation simulation;
  final Daemon daemon;
  final Path dataDir;
  private final SimulatorToDaemon run;

  private SimulatedRun(NudaqConfig config, SimulatorToDaemon run, Path dataDir) {
    this.config = config;
    this.run = run;
    this.simulation = run.simulation();
    this.daemon = run.daemon();
    this.dataDir = dataDir;
  }

  /**
   * GEMMA-I with a short reactor cycle and, for speed, a quiet NaI (5 Hz singles); no cosmogenic lines
   * or tritium, whose decay would make ON and OFF differ by more than the neutrinos do.
   */
  static NudaqConfig gemma1Closure(double onDays, double offDays, double injectMuMuB, long seed) {
    NudaqConfig c = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    SimulatorConfig s = c.simulator();
    SimulatorConfig sim = new SimulatorConfig(seed,
        List.of(new SimulatorConfig.ReactorPeriod(true, onDays), new SimulatorConfig.ReactorPeriod(false, offDays)),
        injectMuMuB, 0, s.comptonPerKeVKgDay(), List.of(), 0, s.noisePerKgDay(), s.noiseSlopeKeV(), s.burstEveryDays(),
        s.burstDurationSeconds(), s.burstRateHz(), 5, s.muonHz(), s.hpgeDeadTimeNs(), s.aggregateMaxEvents(),
        s.aggregateMaxAgeMs(), s.statusIntervalSeconds(), s.bufferEvents());
    return c.withSimulator(sim).withHttp(new HttpConfig("127.0.0.1", 0, c.http().tokenFile()));
  }

  /** Starts the simulator (max pacing, {@code days} detector days, faults), then the daemon pointed at it. */
  static SimulatedRun start(NudaqConfig config, double days, String faults, Path dataDir) {
    SimulatorToDaemon run = SimulatorToDaemon.start(config, Pacing.max(), days, faults, dataDir);
    return new SimulatedRun(run.daemon().config(), run, dataDir);
  }

  /** Waits for the simulator to finish and every board to say GOODBYE, then closes the daemon; its run summary. */
  JsonNode finish(long timeoutSeconds) throws Exception {
    return run.finish(timeoutSeconds);
  }

  JsonNode truth() {
    return run.truth();
  }
}
