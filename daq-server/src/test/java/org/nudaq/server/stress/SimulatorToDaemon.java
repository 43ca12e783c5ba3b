package org.nudaq.server.stress;

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
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.link.LinkStats;
import org.nudaq.sim.server.FaultSpec;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;

/**
 * The real simulator serving on 127.0.0.1 (free ports) and the real daemon reading it over TCP, for
 * the fault, soak and load tests: start both, let the simulator finish its detector days (or stop
 * it), wait until every board's GOODBYE has been received and processed, close the daemon.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class SimulatorToDaemon implements AutoCloseable {
  private final Simulation simulation;
  private final Daemon daemon;

  private SimulatorToDaemon(Simulation simulation, Daemon daemon) {
    this.simulation = simulation;
    this.daemon = daemon;
  }

  /**
   * GEMMA-I (config/gemma-1.yaml) with a short reactor cycle, no cosmogenic lines or tritium, and
   * the given NaI singles rate, Hz (the rate that dominates the event count).
   */
  public static NudaqConfig gemma1(double naiSinglesHz, long seed) {
    NudaqConfig c = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    SimulatorConfig s = c.simulator();
    SimulatorConfig sim = new SimulatorConfig(seed,
        List.of(new SimulatorConfig.ReactorPeriod(true, 2), new SimulatorConfig.ReactorPeriod(false, 1)),
        0, 0, s.comptonPerKeVKgDay(), List.of(), 0, s.noisePerKgDay(), s.noiseSlopeKeV(), s.burstEveryDays(),
        s.burstDurationSeconds(), s.burstRateHz(), naiSinglesHz, s.muonHz(), s.hpgeDeadTimeNs(), s.aggregateMaxEvents(),
        s.aggregateMaxAgeMs(), s.statusIntervalSeconds(), s.bufferEvents());
    return c.withSimulator(sim);
  }

  /**
   * Starts the simulator ({@code days} detector days, or forever when infinite) and the daemon
   * pointed at it; the daemon's HTTP server on a free port, its data in {@code dataDir}.
   */
  public static SimulatorToDaemon start(NudaqConfig config, Pacing pacing, double days, String faults, Path dataDir) {
    return start(config, pacing, days, faults, dataDir, JournalWriter.FreeSpaceProbe.FILE_SYSTEM);
  }

  /** As above with the journal's free-space probe (the disk-full tests' seam). */
  public static SimulatorToDaemon start(NudaqConfig config, Pacing pacing, double days, String faults, Path dataDir,
      JournalWriter.FreeSpaceProbe journalSpace) {
    List<InetSocketAddress> any = new ArrayList<>();
    for (int i = 0; i < config.digitizer().boards().size(); i++) {
      any.add(new InetSocketAddress("127.0.0.1", 0));
    }
    Simulation sim = new Simulation(config, new Simulation.Settings(pacing, FaultSpec.parse(faults), days, any, "stress"));
    sim.bind();
    List<BoardConfig> boards = new ArrayList<>();
    for (int i = 0; i < config.digitizer().boards().size(); i++) {
      BoardConfig b = config.digitizer().boards().get(i);
      boards.add(new BoardConfig(b.id(), "127.0.0.1", sim.boundAddress(i).getPort(), b.tickNs(), b.adcBits(), b.channels()));
    }
    // Reconnect quickly: the fault tests drop the link every second or two.
    NudaqConfig daemonConfig = config.withDigitizer(new DigitizerConfig(boards, 20, 200, 2000))
        .withHttp(new HttpConfig("127.0.0.1", 0, dataDir.resolve("control.token").toString()));
    Daemon daemon = new Daemon(daemonConfig, dataDir, Clock.systemUTC(), journalSpace);
    daemon.start();
    // The run starts once every board link is up: on a loaded machine the daemon's start (templates,
    // journal) can take seconds, and a paced run that began without it would be over, or its buffers
    // full, before the first connection — not the situation a test of the link means to make.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!daemon.links().stream().allMatch(l -> l.up())) {
      if (System.nanoTime() > deadline) {
        daemon.close();
        sim.close();
        throw new AssertionError("the daemon did not connect to the simulator's boards within 60 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    sim.startGenerating();
    return new SimulatorToDaemon(sim, daemon);
  }

  public Simulation simulation() {
    return simulation;
  }

  public Daemon daemon() {
    return daemon;
  }

  /**
   * Waits for the simulator to finish and every board's GOODBYE to be processed, then closes the
   * daemon and the simulator; returns the daemon's run summary.
   */
  public JsonNode finish(long timeoutSeconds) throws Exception {
    simulation.generationEnd().get(timeoutSeconds, TimeUnit.SECONDS);
    if (!simulation.awaitGoodbyes(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the simulator's boards did not finish sending within " + timeoutSeconds + " s");
    }
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

  /** The simulator's ground truth ({@link Simulation#truthSummary()}) as JSON. */
  public JsonNode truth() {
    return new ObjectMapper().valueToTree(simulation.truthSummary());
  }

  @Override
  public void close() {
    daemon.close();
    simulation.close();
  }
}
