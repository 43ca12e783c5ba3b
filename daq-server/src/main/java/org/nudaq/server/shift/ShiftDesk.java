package org.nudaq.server.shift;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.daemon.RunControl;
import org.nudaq.server.ingest.IngestLoop;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.link.LinkStats;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.SlowControlGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's shift desk (issue 18): run start/stop, logbook entries and slow-control readings, each
 * journaled on the pipeline thread (the journal's single writer) and then applied — to the pipeline
 * (readings), the {@link RunControl}, and the {@link ShiftRecord} with its per-run files. A record the
 * journal refuses (disk full) is not applied: the future fails and the caller answers 503. A watcher
 * thread writes REACTOR entries when the published reactor state changes, and ALERT entries when a board
 * link goes down after having been up, and when it comes back.
 *
 * <p>Thread-safe: requests may come from any thread; the work runs on the pipeline thread.
 */
public final class ShiftDesk implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShiftDesk.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A reading as pushed: sensor, value and its own time (null: now). */
  public record Reading(String sensor, double value, Instant time) {}

  private final NudaqConfig config;
  private final Clock clock;
  private final IngestLoop ingest;
  private final JournalWriter journal;
  private final RunControl run;
  private final ShiftRecord record;
  private final ShiftFiles files;
  private final String configSha256;
  private final Supplier<ExperimentResult> limits;
  private final SlowControlGate gate;
  /** The snapshot at the current run's start; pipeline thread only (null after a restart during a run). */
  private volatile PipelineSnapshot runStartSnapshot;
  private ScheduledExecutorService watcher;
  private ReactorState lastReactorState;
  /** Whether a known reactor state (ON or OFF) has been seen since the start (watcher thread). */
  private boolean reactorStateKnown;
  /** Per board: up at the last look; boards that went down after being up (watcher thread). */
  private final Map<Integer, Boolean> linkUp = new java.util.HashMap<>();
  private final java.util.Set<Integer> everDown = new java.util.HashSet<>();

  /**
   * @param journal      the journal, or null when journal.enabled is false (then nothing is journaled)
   * @param run          the run state shown in status and metrics; set to the kept record's last run here
   * @param configSha256 SHA-256 (hex) of the configuration text in force
   * @param filesDir     the per-run files ({@code <data>/runs}), read back here
   * @param gate         the pipeline's slow-control rules (their excluded time is read from any thread)
   */
  public ShiftDesk(NudaqConfig config, Clock clock, IngestLoop ingest, JournalWriter journal, RunControl run,
      String configSha256, java.nio.file.Path filesDir, SlowControlGate gate) {
    this.config = config;
    this.clock = clock;
    this.ingest = ingest;
    this.journal = journal;
    this.run = run;
    this.configSha256 = configSha256;
    this.limits = ingest::latestLimits;
    this.gate = gate;
    this.files = new ShiftFiles(filesDir);
    this.record = new ShiftRecord(config.slowControl(), files);
    files.load(record);
    run.resume(record.current() != null, record.lastNumber());
  }

  public ShiftRecord record() {
    return record;
  }

  public ShiftFiles files() {
    return files;
  }

  /** SHA-256 (hex) of the configuration text in force, recorded with every run start. */
  public String configSha256() {
    return configSha256;
  }

  /**
   * Starts the next run (last number + 1); a run still going on is stopped first, with the stop comment
   * {@code "ended by the start of run N"}. Completes with the new run.
   */
  public CompletableFuture<RunRecord> startRun(String comment) {
    CompletableFuture<RunRecord> done = new CompletableFuture<>();
    ingest.submit(p -> {
      try {
        long number = record.lastNumber() + 1;
        if (record.current() != null) {
          stopOnPipeline(p, "ended by the start of run " + number);
        }
        Instant at = now();
        if (journal != null) {
          journal.runStart(at.toEpochMilli(), number, comment, configSha256);
        }
        runStartSnapshot = p.publish(at);
        run.start();
        record.applyRunStart(at, number, comment, configSha256, runStartDataTimeNs());
        done.complete(record.run(number));
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /**
   * Issue 17: data time at the start of the run going on, ns — seen by this daemon, or kept in the run's record by
   * the one that started it (a restart during the run); null with no run, or a run started by an older version.
   */
  public Long runStartDataTimeNs() {
    PipelineSnapshot s = runStartSnapshot;
    if (s != null) {
      return s.dataTimeNs() == Long.MIN_VALUE ? 0L : s.dataTimeNs();
    }
    Long current = record.current();
    RunRecord r = current == null ? null : record.run(current);
    return r == null ? null : r.startDataTimeNs();
  }

  /** Stops the run going on; completes with it, or with null when none was going on. */
  public CompletableFuture<RunRecord> stopRun(String comment) {
    CompletableFuture<RunRecord> done = new CompletableFuture<>();
    ingest.submit(p -> {
      try {
        done.complete(record.current() == null ? null : stopOnPipeline(p, comment));
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  private RunRecord stopOnPipeline(EventPipeline p, String comment) {
    long number = record.current();
    Instant at = now();
    PipelineSnapshot now = p.publish(at);
    Map<String, Object> summary = RunSummaries.of(config, runStartSnapshot, now, limits.get(), runStartDataTimeNs());
    String summaryJson;
    try {
      summaryJson = JSON.writeValueAsString(summary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (journal != null) {
      journal.runStop(at.toEpochMilli(), number, comment, summaryJson);
    }
    runStartSnapshot = null;
    run.stop();
    record.applyRunStop(at, number, comment, summary);
    return record.run(number);
  }

  /** A logbook entry (an operator's, or an automatic one); completes with it once journaled. */
  public CompletableFuture<LogEntry> write(LogKind kind, String author, String text) {
    CompletableFuture<LogEntry> done = new CompletableFuture<>();
    ingest.submit(p -> {
      try {
        Instant at = now();
        if (journal != null) {
          journal.logbook(at.toEpochMilli(), kind.ordinal(), author, text);
        }
        record.applyLogbook(at, kind, author, text);
        List<LogEntry> all = record.entries(null);
        done.complete(all.get(all.size() - 1));
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /**
   * Readings, all journaled and applied in one pipeline command so that they keep their relative times
   * exactly: each applies from data time {@code now_data + (time − now_wall)} (the daemon's clock; a reading
   * without a time applies from the current data time; before any data, from the start). Completes with the
   * number applied.
   */
  public CompletableFuture<Integer> readings(List<Reading> readings) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    ingest.submit(p -> {
      int n = 0;
      try {
        long dataNow = p.dataTimeNs();
        Instant wallNow = now();
        for (Reading r : readings) {
          Instant at = r.time() == null ? wallNow : r.time().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
          long effective = dataNow == Long.MIN_VALUE ? Long.MIN_VALUE : dataNow + offsetNs(wallNow, at);
          if (journal != null) {
            journal.slowControl(wallNow.toEpochMilli(), r.sensor(), r.value(), at.toEpochMilli(), effective);
          }
          p.slowControlReading(r.sensor(), r.value(), effective);
          record.applyReading(wallNow, r.sensor(), r.value(), at);
          n++;
        }
        done.complete(n);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /** The daemon's wall clock to the millisecond: the time a record is journaled with and shown with, live and replayed. */
  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  /** {@code at − now} in ns, clamped to ±Long.MAX_VALUE/4 (a data time stays far from overflow). */
  static long offsetNs(Instant now, Instant at) {
    try {
      long d = Duration.between(now, at).toNanos();
      return Math.max(Long.MIN_VALUE / 4, Math.min(Long.MAX_VALUE / 4, d));
    } catch (ArithmeticException e) {
      return at.isBefore(now) ? Long.MIN_VALUE / 4 : Long.MAX_VALUE / 4;
    }
  }

  /**
   * Alertmanager's webhook (version 4): an ALERT entry per alert, {@code FIRING <alertname> (<severity>):
   * <summary>} or {@code RESOLVED …}. Completes with the number of entries.
   *
   * @throws IllegalArgumentException if the body has no {@code alerts} list
   */
  public CompletableFuture<Integer> alertmanager(Map<String, Object> body) {
    Object alerts = body.get("alerts");
    if (!(alerts instanceof List<?> list)) {
      throw new IllegalArgumentException("body must be Alertmanager's webhook JSON with an \"alerts\" list");
    }
    CompletableFuture<Integer> all = CompletableFuture.completedFuture(0);
    for (Object o : list) {
      Map<String, Object> a = o instanceof Map<?, ?> ? JSON.convertValue(o, new TypeReference<Map<String, Object>>() {}) : Map.of();
      Map<?, ?> labels = a.get("labels") instanceof Map<?, ?> l ? l : Map.of();
      Map<?, ?> annotations = a.get("annotations") instanceof Map<?, ?> l ? l : Map.of();
      String status = String.valueOf(a.getOrDefault("status", "firing")).toUpperCase(java.util.Locale.ROOT);
      String text = status + " " + labels.get("alertname") + " (" + labels.get("severity") + ")"
          + (annotations.get("summary") == null ? "" : ": " + annotations.get("summary"));
      CompletableFuture<LogEntry> one = write(LogKind.ALERT, "alertmanager", text);
      all = all.thenCombine(one, (n, e) -> n + 1);
    }
    return all;
  }

  /** Data time excluded by each slow-control rule, s, by label (as of the pipeline's last snapshot); any thread. */
  public Map<String, Double> excludedSecondsByRule() {
    return gate.excludedSecondsByRule();
  }

  /** {@code GET /api/slow-control}: the sensors and the excluded time by rule (the pipeline's, at its last snapshot). */
  public Map<String, Object> slowControlJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sensors", record.sensorsJson());
    m.put("excludedLiveTimeSecondsByReason", gate.excludedSecondsByRule());
    return m;
  }

  /**
   * Starts the watcher that writes REACTOR entries on reactor-state changes of the published snapshots, and
   * ALERT entries when a board link that was up goes down or comes back.
   */
  public synchronized void startWatching(Supplier<PipelineSnapshot> snapshots, Supplier<List<LinkStats>> links, Duration every) {
    watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "nudaq-shift-watch");
      t.setDaemon(true);
      return t;
    });
    watcher.scheduleWithFixedDelay(() -> {
      try {
        watch(snapshots.get());
        watchLinks(links.get());
      } catch (RuntimeException e) {
        LOG.warn("shift watcher: {}", e.toString());
      }
    }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * One look at a snapshot: a REACTOR entry when the state differs from the last one looked at. The
   * first known state after the start is said once as what it is and where it comes from ({@code reactor
   * state ON (from digitizer)}), not as a change from the UNKNOWN every start begins with.
   */
  void watch(PipelineSnapshot s) {
    if (s == null) {
      return;
    }
    ReactorState now = s.reactorState();
    ReactorState before = lastReactorState;
    lastReactorState = now;
    if (!reactorStateKnown) {
      if (now != ReactorState.UNKNOWN) {
        reactorStateKnown = true;
        write(LogKind.REACTOR, "daemon", "reactor state " + now + " (from "
            + config.gates().reactorStateSource().name().toLowerCase(java.util.Locale.ROOT) + ")" + atDataTime(s));
      }
    } else if (before != now) {
      write(LogKind.REACTOR, "daemon", "reactor " + before + " → " + now + atDataTime(s));
    }
  }

  private static String atDataTime(PipelineSnapshot s) {
    return " at data time " + String.format(java.util.Locale.ROOT, "%.1f h", s.dataTimeNs() / 3.6e12);
  }

  /** One look at the links: an ALERT entry when one that has been up changes (watcher thread). */
  void watchLinks(List<LinkStats> links) {
    for (LinkStats l : links) {
      boolean up = l.up();
      Boolean before = linkUp.put(l.boardId(), up);
      if (before != null && before != up && (!up || everDown.contains(l.boardId()))) {
        write(LogKind.ALERT, "daemon", up ? "link to board " + l.boardId() + " up again" : "link to board " + l.boardId() + " down");
      }
      if (before != null && before && !up) {
        everDown.add(l.boardId());
      }
    }
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.shutdownNow();
    }
  }
}
