package org.nudaq.sim.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.nudaq.monitor.cli.Json;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.sim.board.BoardBuffer;
import org.nudaq.sim.board.BoardModel;
import org.nudaq.sim.board.DigitizerModel;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.generator.PhysicsRecoilRates;

/**
 * A whole simulator run: the physics generator on its own thread feeding the boards' models and
 * buffers, the TCP server sending them, pacing, the burst fault, and the ground truth at the end.
 *
 * <p>Lifecycle: {@link #start()} (bind, then generate on thread {@code sim-generator} until
 * {@code days}, then GOODBYE), {@link #awaitGenerationEnd}, {@link #stop()} (from any thread, e.g. a
 * shutdown hook), {@link #close()}. Tests can instead drive generation on their own thread with
 * {@link #generateUntil} and {@link #endRun}.
 */
public final class Simulation implements AutoCloseable {
  private static final long DAY_NS = 86_400L * 1_000_000_000L;
  /** Generation advances in steps of at most one detector second (responsive to stop and pacing). */
  private static final long MAX_STEP_NS = 1_000_000_000L;

  /**
   * @param pacing     detector time against wall time
   * @param faults     faults to inject
   * @param days       detector days to simulate (infinite: until stopped)
   * @param endpoints  one listening address per board, in configuration order
   * @param configPath for the ground truth
   */
  public record Settings(Pacing pacing, FaultSpec faults, double days, List<InetSocketAddress> endpoints, String configPath) {
    public Settings {
      endpoints = List.copyOf(endpoints);
      if (!(days > 0)) {
        throw new IllegalArgumentException("days must be > 0, got " + days);
      }
    }
  }

  private final NudaqConfig config;
  private final Settings settings;
  private final EventGenerator generator;
  private final DigitizerModel digitizer;
  private final List<BoardLink> links = new ArrayList<>();
  private final SimServer server;
  private final long endNs;
  private final long burstStartNs;
  private final long burstEndNs;
  private final CompletableFuture<Void> generationEnd = new CompletableFuture<>();
  private volatile boolean stopRequested;
  private volatile long reachedNs;
  private long burstsStarted;
  private Thread thread;
  private boolean runEnded;

  public Simulation(NudaqConfig config, Settings settings) {
    this.config = config;
    this.settings = settings;
    List<BoardConfig> boards = config.digitizer().boards();
    if (settings.endpoints().size() != boards.size()) {
      throw new IllegalArgumentException("one endpoint per board: boards=" + boards.size() + " endpoints=" + settings.endpoints().size());
    }
    List<BoardBuffer> buffers = new ArrayList<>();
    int aggregate = Math.min(config.simulator().aggregateMaxEvents(), org.nudaq.monitor.wire.FrameDescriptor.MAX_EVENTS_PER_FRAME);
    for (int i = 0; i < boards.size(); i++) {
      buffers.add(new BoardBuffer(config.simulator().bufferEvents(), aggregate, settings.pacing().isMax()));
    }
    digitizer = new DigitizerModel(config, buffers, Math.round(config.simulator().aggregateMaxAgeMs() * 1e6),
        settings.faults().timestampBits());
    generator = new EventGenerator(config, PhysicsRecoilRates.perDetector(config), digitizer);
    digitizer.attach(generator);
    long statusMs = Math.round(config.simulator().statusIntervalSeconds() * 1000);
    for (int i = 0; i < boards.size(); i++) {
      links.add(new BoardLink(digitizer.board(i), statusMs, settings.faults(), config.simulator().seed() * 31 + i));
    }
    server = new SimServer(links, settings.endpoints());
    endNs = Double.isInfinite(settings.days()) ? Long.MAX_VALUE : Math.round(settings.days() * DAY_NS);
    FaultSpec f = settings.faults();
    burstStartNs = f.hasBurst() ? Math.round(f.burstAtSeconds() * 1e9) : Long.MAX_VALUE;
    burstEndNs = f.hasBurst() ? burstStartNs + Math.round(f.burstDurationSeconds() * 1e9) : Long.MAX_VALUE;
  }

  /** Binds the boards' ports (no generation yet). */
  public void bind() {
    server.start();
  }

  /** Binds and starts generating on its own thread. */
  public void start() {
    bind();
    startGenerating();
  }

  /**
   * Starts generating on its own thread, after {@link #bind()}: a test harness binds, connects its
   * daemon, and only then starts the run, so that a slow daemon start (a loaded machine) cannot let
   * the whole run pass before the first connection.
   */
  public void startGenerating() {
    thread = new Thread(this::runPaced, "sim-generator");
    thread.start();
  }

  public InetSocketAddress boundAddress(int board) {
    return server.boundAddress(board);
  }

  public List<BoardLink> links() {
    return links;
  }

  public DigitizerModel digitizer() {
    return digitizer;
  }

  public EventGenerator generator() {
    return generator;
  }

  /** Detector time reached, ns. */
  public long reachedNs() {
    return reachedNs;
  }

  /** Completes when generation ended (run length reached or stopped) and GOODBYE was queued. */
  public CompletableFuture<Void> generationEnd() {
    return generationEnd;
  }

  private void runPaced() {
    try {
      long startWall = System.nanoTime();
      Pacing pacing = settings.pacing();
      while (!stopRequested && generator.nowNs() < endNs) {
        long now = generator.nowNs();
        long target;
        if (pacing.isMax()) {
          target = now + MAX_STEP_NS;
        } else {
          double detectorNs = (System.nanoTime() - startWall) * pacing.accel();
          if (detectorNs <= now) {
            LockSupport.parkNanos(1_000_000L);
            continue;
          }
          target = (long) Math.min(detectorNs, (double) now + MAX_STEP_NS);
        }
        generateUntil(Math.min(target, endNs));
      }
      endRun();
      generationEnd.complete(null);
    } catch (Throwable t) {
      generationEnd.completeExceptionally(t);
    }
  }

  /**
   * Generates up to detector time {@code untilNs} on the calling thread (no pacing), switching the
   * burst fault's rate factor at its boundaries.
   */
  public void generateUntil(long untilNs) {
    while (generator.nowNs() < untilNs && !stopRequested) {
      long now = generator.nowNs();
      long next = untilNs;
      if (now < burstStartNs) {
        next = Math.min(next, burstStartNs);
      } else if (now < burstEndNs) {
        next = Math.min(next, burstEndNs);
      }
      boolean inBurst = now >= burstStartNs && now < burstEndNs;
      if (inBurst && now == burstStartNs) {
        burstsStarted++;
      }
      generator.setRateMultiplier(inBurst ? settings.faults().burstFactor() : 1.0);
      generator.generateUntil(next);
      reachedNs = generator.nowNs();
    }
  }

  /** Ends the run: last STATUS on every board, then each link sends its buffer and GOODBYE. */
  public void endRun() {
    if (runEnded) {
      return;
    }
    runEnded = true;
    digitizer.finish();
    for (BoardLink l : links) {
      l.finish();
    }
  }

  /**
   * Waits until every board has sent its buffer and GOODBYE to a client (a board without a client
   * waits for one to connect), at most {@code timeout} in all.
   *
   * @return true if every board said GOODBYE in time
   */
  public boolean awaitGoodbyes(long timeout, TimeUnit unit) {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    for (BoardLink l : links) {
      try {
        l.finished().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (java.util.concurrent.ExecutionException e) {
        return false;
      }
    }
    return true;
  }

  /** Stops generation (any thread) and waits for the generator thread. */
  public void stop() {
    stopRequested = true;
    for (BoardLink l : links) {
      l.board().buffer().close();
    }
    if (thread != null && thread != Thread.currentThread()) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop();
    server.close();
  }

  /**
   * The ground truth: the generator's {@link org.nudaq.sim.generator.GroundTruth#summary()} plus per
   * board and channel the triggers accepted, lost (buffer full), sent intact, damaged by faults and
   * never sent, and every injected fault. Call after generation stopped (or on the generating thread).
   */
  public Map<String, Object> truthSummary() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("config", settings.configPath());
    root.put("experiment", config.experiment());
    root.put("seed", config.simulator().seed());
    root.put("detectorDays", generator.nowNs() / (double) DAY_NS);
    root.put("pacing", settings.pacing().toString());
    root.put("faults", settings.faults());
    root.put("bursts", List.of(Map.of("count", burstsStarted, "factor", settings.faults().burstFactor(),
        "startSeconds", settings.faults().burstAtSeconds(), "durationSeconds", settings.faults().burstDurationSeconds())));
    root.put("generator", generator.truth().summary());
    List<Map<String, Object>> boards = new ArrayList<>();
    for (BoardLink link : links) {
      BoardModel b = link.board();
      LinkCounters c = link.counters();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("boardId", b.boardId());
      m.put("framesSent", c.framesSent());
      m.put("nextSequence", link.nextSequence());
      m.put("connections", c.connections());
      m.put("goodbyes", c.goodbyes());
      m.put("statusLatched", b.statusSent() + b.statusDropped());
      m.put("statusDroppedBufferFull", b.statusDropped());
      m.put("timestampWraps", b.wrapsUntil(generator.nowNs()));
      List<Map<String, Object>> channels = new ArrayList<>();
      for (int s = 0; s < b.slots(); s++) {
        ChannelConfig cc = b.config().channels().get(s);
        int ch = cc.channel();
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("channel", ch);
        cm.put("role", cc.role().name().toLowerCase(java.util.Locale.ROOT));
        cm.put("detector", cc.detector());
        cm.put("acceptedTriggers", b.accepted(s));
        cm.put("lostTriggers", b.lost(s));
        cm.put("sentEvents", c.sentEvents(ch));
        cm.put("damagedEvents", c.damagedEvents(ch));
        cm.put("unsentEvents", b.accepted(s) - c.sentEvents(ch) - c.damagedEvents(ch));
        cm.put("rolloverFlags", b.rolloverFlags(s));
        channels.add(cm);
      }
      m.put("channels", channels);
      m.put("faults", c.faultSummary());
      boards.add(m);
    }
    root.put("boards", boards);
    return root;
  }

  /** Writes {@link #truthSummary()} as JSON. */
  public void writeTruth(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, Json.write(truthSummary()) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ground truth to " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }
}
