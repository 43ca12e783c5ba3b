package org.nudaq.server.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.DigitizerConfig;
import org.nudaq.monitor.config.HttpConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.server.link.LinkStats;
import org.nudaq.sim.server.FaultSpec;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;

/**
 * The real simulator serving on 127.0.0.1 (any free port) and the real daemon reading it, for a
 * number of detector days at full speed; then both end, the daemon writes its summary.
 */
final class SimulatedRun {
  final NudaqConfig config;
  final Simulation simulation;
  final Daemon daemon;
  final Path dataDir;

  private SimulatedRun(NudaqConfig config, Simulation simulation, Daemon daemon, Path dataDir) {
    this.config = config;
    this.simulation = simulation;
    this.daemon = daemon;
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
    List<InetSocketAddress> any = new ArrayList<>();
    for (int i = 0; i < config.digitizer().boards().size(); i++) {
      any.add(new InetSocketAddress("127.0.0.1", 0));
    }
    Simulation sim = new Simulation(config, new Simulation.Settings(Pacing.max(), FaultSpec.parse(faults), days, any, "test"));
    sim.start();
    List<BoardConfig> boards = new ArrayList<>();
    for (int i = 0; i < config.digitizer().boards().size(); i++) {
      BoardConfig b = config.digitizer().boards().get(i);
      boards.add(new BoardConfig(b.id(), "127.0.0.1", sim.boundAddress(i).getPort(), b.tickNs(), b.adcBits(), b.channels()));
    }
    // Reconnect quickly: the fault tests drop the link often.
    NudaqConfig daemonConfig = config.withDigitizer(new DigitizerConfig(boards, 20, 200, 2000))
        .withHttp(new HttpConfig("127.0.0.1", 0, dataDir.resolve("control.token").toString()));
    Daemon daemon = new Daemon(daemonConfig, dataDir, Clock.systemUTC());
    daemon.start();
    return new SimulatedRun(daemonConfig, sim, daemon, dataDir);
  }

  /** Waits for the simulator to finish and every board to say GOODBYE, then closes the daemon. */
  JsonNode finish(long timeoutSeconds) throws Exception {
    simulation.generationEnd().get(timeoutSeconds, TimeUnit.SECONDS);
    if (!simulation.awaitGoodbyes(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the simulator's boards did not finish sending within " + timeoutSeconds + " s");
    }
    // The GOODBYE is each board's last frame: once every link has seen it and the queue is empty,
    // everything the boards sent is in the pipeline (close() drains and finishes it).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!allReceived()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the daemon did not receive every board's GOODBYE within " + timeoutSeconds + " s");
      }
      Thread.sleep(20);
    }
    daemon.close();
    simulation.close();
    return new ObjectMapper().readTree(daemon.summaryFile().toFile());
  }

  private boolean allReceived() {
    for (LinkStats l : daemon.links()) {
      if (l.goodbyes() == 0) {
        return false;
      }
    }
    return daemon.queue().size() == 0;
  }

  JsonNode truth() {
    return new ObjectMapper().valueToTree(simulation.truthSummary());
  }
}
