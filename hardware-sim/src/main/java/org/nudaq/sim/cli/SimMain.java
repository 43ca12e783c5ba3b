package org.nudaq.sim.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.sim.caen.CaenSimulation;
import org.nudaq.sim.caen.CaenSink;
import org.nudaq.sim.caen.CompassStreamServer;
import org.nudaq.sim.caen.X27xxRawWriter;
import org.nudaq.sim.replay.ReplayException;
import org.nudaq.sim.replay.ReplayLink;
import org.nudaq.sim.replay.ReplayServer;
import org.nudaq.sim.server.FaultSpec;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;
import org.nudaq.monitor.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./nudaq sim}: serves simulated digitizer boards over TCP (one port per configured board),
 * generates physics events paced against wall time, and writes the ground truth at the end.
 */
@Command(name = "nudaq sim", mixinStandardHelpOptions = true,
    description = "Digitizer simulator: physics-driven events served over TCP like digitizer boards.")
public final class SimMain implements Callable<Integer> {
  /** Exit code for a configuration that does not load or bad option values. */
  public static final int EXIT_BAD_CONFIG = CommandLines.EXIT_BAD_CONFIG;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "config/gemma-1.yaml",
      description = "YAML configuration (default: ${DEFAULT-VALUE})")
  Path configFile;

  @Option(names = "--seed", paramLabel = "S", description = "random seed (default: simulator.seed of the configuration)")
  Long seed;

  @Option(names = "--accel", paramLabel = "FACTOR|max", defaultValue = "1",
      description = "detector seconds per wall second, or max (as fast as the client reads; no losses). Default: ${DEFAULT-VALUE}")
  String accel;

  @Option(names = "--port", paramLabel = "P", description = "port of the first board; the others follow +1 (default: the configured ports)")
  Integer port;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
  String bind;

  @Option(names = "--days", paramLabel = "D", description = "detector days to simulate, then GOODBYE and stop (default: until stopped)")
  Double days;

  @Option(names = "--inject-mu", paramLabel = "MU", description = "injected magnetic moment, μB (default: the configuration's)")
  Double injectMu;

  @Option(names = "--inject-q", paramLabel = "Q", description = "injected millicharge, e0 (default: the configuration's)")
  Double injectQ;

  @Option(names = "--schedule", paramLabel = "STATE:DAYS,...",
      description = "reactor schedule, repeated from t = 0, e.g. on:20,off:10 (default: simulator.schedule of the configuration)")
  String schedule;

  @Option(names = "--faults", paramLabel = "SPEC",
      description = "faults, e.g. disconnect-every=30s,corrupt=1e-4,truncate=1e-4,garbage=1e-4,skip-seq=1e-3,dup-seq=1e-3,stall=5s@60s,burst=10x@120s+10s,rollover=48")
  String faults;

  @Option(names = "--truth", paramLabel = "FILE", defaultValue = "sim-truth.json",
      description = "ground-truth JSON written at the end (default: ${DEFAULT-VALUE})")
  Path truthFile;

  @Option(names = "--drain-seconds", paramLabel = "S", defaultValue = "30",
      description = "at the end, wait this long (wall) for connected clients to read the buffers (default: ${DEFAULT-VALUE})")
  double drainSeconds;

  @Option(names = "--replay", paramLabel = "DIR",
      description = "serve the last session of this daemon journal instead of generating: each board's frames as recorded,"
          + " paced by the recorded board time (--accel), then GOODBYE and stop (docs/journal-and-replay.md)")
  Path replayDir;

  @Option(names = "--compass-tcp", paramLabel = "PORT",
      description = "serve the events as CAEN CoMPASS's online TCP stream on this port (0: any free port) instead of the"
          + " nudaq boards: unframed records of the configuration's compass.stream layout, mapped by compass.channels")
  Integer compassTcpPort;

  @Option(names = "--compass-garbage-every", paramLabel = "N",
      description = "with --compass-tcp: insert a burst of 1..2 record lengths of random bytes after every N records (a fault)")
  Long compassGarbageEvery;

  @Option(names = "--x27xx-raw", paramLabel = "DIR",
      description = "write the events as CAEN x27xx raw data (.raw files, one per board: DIR/board<id>.raw) instead of"
          + " serving the nudaq boards")
  Path x27xxRawDir;

  @Option(names = "--compass-folder", paramLabel = "DIR",
      description = "write the events as CAEN CoMPASS writes a run folder while it acquires (DIR/run_<k>/RAW/*.BIN, one file"
          + " per channel of compass.channels, run.info, file splits, a new run every --compass-run-seconds) instead of the nudaq boards")
  Path compassFolder;

  @Option(names = "--compass-run-seconds", paramLabel = "S", defaultValue = "3600",
      description = "with --compass-folder: detector seconds per CoMPASS run (default: ${DEFAULT-VALUE})")
  double compassRunSeconds;

  @Option(names = "--compass-split-bytes", paramLabel = "N", defaultValue = "1000000000",
      description = "with --compass-folder: a channel file is split (X_1.BIN, X_2.BIN, ...) at this size (default: ${DEFAULT-VALUE})")
  long compassSplitBytes;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    NudaqConfig config = new ConfigLoader().load(configFile);
    Pacing pacing;
    FaultSpec faultSpec;
    try {
      pacing = Pacing.parse(accel);
      faultSpec = FaultSpec.parse(faults);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (replayDir != null) {
      return replay(config, pacing);
    }
    config = withOverrides(config);
    requireWritableDirectoryOf(truthFile);
    if (compassTcpPort != null || x27xxRawDir != null || compassFolder != null) {
      return caen(config, pacing);
    }
    if (compassGarbageEvery != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--compass-garbage-every needs --compass-tcp");
    }
    List<InetSocketAddress> endpoints = new ArrayList<>();
    List<BoardConfig> boards = config.digitizer().boards();
    for (int i = 0; i < boards.size(); i++) {
      endpoints.add(new InetSocketAddress(bind, port != null ? port + i : boards.get(i).port()));
    }
    double d = days == null ? Double.POSITIVE_INFINITY : days;
    Simulation sim = new Simulation(config, new Simulation.Settings(pacing, faultSpec, d, endpoints, configFile.toString()));
    var out = spec.commandLine().getOut();
    Thread hook = new Thread(() -> {
      // SIGTERM/Ctrl-C: stop generating, then every board sends what it holds and GOODBYE. A board
      // with a reader connected gets --drain-seconds for that, so nothing generated is left unsent.
      boolean readers = sim.links().stream().anyMatch(org.nudaq.sim.server.BoardLink::connected);
      sim.stop();
      sim.endRun();
      sim.awaitGoodbyes(readers ? Math.round(drainSeconds * 1000) : 2000, TimeUnit.MILLISECONDS);
      sim.writeTruth(truthFile);
      System.err.println("nudaq sim: stopped; ground truth in " + truthFile.toAbsolutePath());
      sim.close();
    }, "sim-shutdown");
    sim.start();
    for (int i = 0; i < boards.size(); i++) {
      InetSocketAddress a = sim.boundAddress(i);
      out.println("board " + boards.get(i).id() + " listening on " + a.getHostString() + ":" + a.getPort());
    }
    out.println("pacing " + pacing + ", seed " + config.simulator().seed() + ", run "
        + (days == null ? "until stopped" : days + " detector days") + ", faults " + (faults == null ? "none" : faults));
    out.flush();
    Runtime.getRuntime().addShutdownHook(hook);
    sim.generationEnd().join();
    sim.awaitGoodbyes(Math.round(drainSeconds * 1000), TimeUnit.MILLISECONDS);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // SIGTERM ended the run: the hook writes the ground truth.
      return 0;
    }
    sim.writeTruth(truthFile);
    sim.close();
    out.println("ground truth in " + truthFile.toAbsolutePath());
    return 0;
  }

  /** --compass-tcp or --x27xx-raw: the same physics and board models into a CAEN-format output. */
  private int caen(NudaqConfig config, Pacing pacing) {
    var out = spec.commandLine().getOut();
    if ((compassTcpPort != null ? 1 : 0) + (x27xxRawDir != null ? 1 : 0) + (compassFolder != null ? 1 : 0) > 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--compass-tcp, --x27xx-raw and --compass-folder are outputs: choose one");
    }
    if (compassFolder != null && (!(compassRunSeconds > 0) || compassSplitBytes < 26)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--compass-run-seconds must be > 0 and --compass-split-bytes at least 26"
          + ", got " + compassRunSeconds + " and " + compassSplitBytes);
    }
    if (compassFolder != null && config.compass().channels().isEmpty()) {
      spec.commandLine().getErr().println("nudaq sim: --compass-folder needs compass.channels in " + configFile
          + " (the CoMPASS board and channel of each of our channels)");
      return EXIT_BAD_CONFIG;
    }
    if (compassTcpPort != null && (compassTcpPort < 0 || compassTcpPort > 65535)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--compass-tcp must be a port 0..65535, got " + compassTcpPort);
    }
    if (compassGarbageEvery != null && (compassTcpPort == null || compassGarbageEvery < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--compass-garbage-every needs --compass-tcp and N >= 1");
    }
    if (compassTcpPort != null && config.compass().stream() == null) {
      spec.commandLine().getErr().println("nudaq sim: --compass-tcp needs compass.stream in " + configFile
          + " (its energy, calibratedEnergy and energyShort keys declare the record layout to serve)");
      return EXIT_BAD_CONFIG;
    }
    CaenSink sink;
    try {
      if (compassTcpPort != null) {
        CompassStreamServer server = new CompassStreamServer(config, new InetSocketAddress(bind, compassTcpPort),
            CompassStreamServer.DEFAULT_CHUNK_BYTES, compassGarbageEvery == null ? 0 : compassGarbageEvery, config.simulator().seed(),
            null);
        out.println(server + " (records " + server.recordLength() + " bytes)");
        sink = server;
      } else if (compassFolder != null) {
        sink = new org.nudaq.sim.caen.CompassRunWriter(config, compassFolder, compassRunSeconds, compassSplitBytes);
        out.println("writing CoMPASS run folders to " + compassFolder.toAbsolutePath() + "/run_<k>/RAW (a run every "
            + compassRunSeconds + " s, files split at " + compassSplitBytes + " bytes)");
      } else {
        sink = new X27xxRawWriter(config, x27xxRawDir);
        out.println("writing x27xx raw data to " + x27xxRawDir.toAbsolutePath() + "/board<id>.raw");
      }
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("nudaq sim: " + e.getMessage());
      return 1;
    }
    out.println("pacing " + pacing + ", seed " + config.simulator().seed() + ", run "
        + (days == null ? "until stopped" : days + " detector days"));
    out.flush();
    CaenSimulation sim = new CaenSimulation(config, sink);
    java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    Thread hook = new Thread(() -> {
      sim.stop();
      try {
        ended.await(10, TimeUnit.SECONDS); // the run loop closes the output (stop-run event, files flushed)
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sim-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      sim.run(pacing, days == null ? Double.POSITIVE_INFINITY : days);
    } finally {
      ended.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return 0;
    }
    out.println("done: " + sim.events() + " events, detector time " + sim.reachedNs() / 1e9 + " s");
    return 0;
  }

  /** --replay: the configuration gives the boards and their ports; generation options do not apply. */
  private int replay(NudaqConfig config, Pacing pacing) {
    List<BoardConfig> boards = config.digitizer().boards();
    if (port != null && (port < 0 || port + boards.size() - 1 > 65535)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port " + port + " leaves no room for "
          + boards.size() + " boards below 65536");
    }
    List<Integer> ids = new ArrayList<>();
    List<InetSocketAddress> endpoints = new ArrayList<>();
    for (int i = 0; i < boards.size(); i++) {
      ids.add(boards.get(i).id());
      endpoints.add(new InetSocketAddress(bind, port != null ? port + i : boards.get(i).port()));
    }
    ReplayServer server;
    try {
      server = new ReplayServer(replayDir, ids, endpoints, pacing);
    } catch (ReplayException e) {
      spec.commandLine().getErr().println("nudaq sim: " + e.getMessage());
      return EXIT_BAD_CONFIG;
    }
    var out = spec.commandLine().getOut();
    Thread hook = new Thread(server::close, "replay-shutdown");
    server.start();
    for (int i = 0; i < boards.size(); i++) {
      InetSocketAddress a = server.boundAddress(i);
      out.println("board " + boards.get(i).id() + " listening on " + a.getHostString() + ":" + a.getPort());
    }
    out.println("replaying journal " + replayDir.toAbsolutePath() + ", pacing " + pacing);
    out.flush();
    Runtime.getRuntime().addShutdownHook(hook);
    server.finished().join();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return 0;
    }
    Throwable failure = server.failure();
    long frames = server.links().stream().mapToLong(ReplayLink::framesSent).sum();
    server.close();
    if (failure != null) {
      spec.commandLine().getErr().println("nudaq sim: replay stopped early: " + failure.getMessage());
      return 1;
    }
    out.println("replay done: " + frames + " frames sent");
    return 0;
  }

  /** The ground truth is written at the end of a run: a place it cannot go is an error before the run. */
  private void requireWritableDirectoryOf(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--truth " + file + ": no directory " + dir);
    }
    if (!Files.isWritable(dir)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--truth " + file + ": cannot write in " + dir);
    }
  }

  private NudaqConfig withOverrides(NudaqConfig c) {
    SimulatorConfig s = c.simulator();
    double mu = injectMu != null ? injectMu : s.injectMuMuB();
    double q = injectQ != null ? injectQ : s.injectQE0();
    if (!(mu >= 0 && mu <= 1e-8)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--inject-mu must be in [0, 1e-8] μB, got " + mu);
    }
    if (!(q >= 0 && q <= 1e-9)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--inject-q must be in [0, 1e-9] e0, got " + q);
    }
    if (days != null && !(days > 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--days must be > 0, got " + days);
    }
    if (port != null && (port < 0 || port + c.digitizer().boards().size() - 1 > 65535)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port " + port + " leaves no room for "
          + c.digitizer().boards().size() + " boards below 65536");
    }
    java.util.List<SimulatorConfig.ReactorPeriod> periods = schedule == null ? s.schedule() : parseSchedule(schedule);
    SimulatorConfig ns = new SimulatorConfig(seed != null ? seed : s.seed(), periods, mu, q,
        s.comptonPerKeVKgDay(), s.xrayLines(), s.tritiumPerKgDay(), s.noisePerKgDay(), s.noiseSlopeKeV(),
        s.burstEveryDays(), s.burstDurationSeconds(), s.burstRateHz(), s.naiSinglesHz(), s.muonHz(),
        s.hpgeDeadTimeNs(), s.aggregateMaxEvents(), s.aggregateMaxAgeMs(), s.statusIntervalSeconds(), s.bufferEvents(), s.drift());
    return c.withSimulator(ns);
  }

  private java.util.List<SimulatorConfig.ReactorPeriod> parseSchedule(String text) {
    java.util.List<SimulatorConfig.ReactorPeriod> out = new java.util.ArrayList<>();
    for (String item : text.split(",")) {
      String[] kv = item.trim().split(":");
      double d;
      try {
        d = kv.length == 2 ? Double.parseDouble(kv[1]) : Double.NaN;
      } catch (NumberFormatException e) {
        d = Double.NaN;
      }
      if (kv.length != 2 || !(kv[0].equals("on") || kv[0].equals("off")) || !(d > 0)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--schedule: each period is on:DAYS or off:DAYS with DAYS > 0, got '" + item + "'");
      }
      out.add(new SimulatorConfig.ReactorPeriod(kv[0].equals("on"), d));
    }
    return out;
  }

  /** A command line with the project's error handling: configuration errors are printed plainly, exit 2. */
  public static CommandLine commandLine() {
    return CommandLines.of(new SimMain());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
