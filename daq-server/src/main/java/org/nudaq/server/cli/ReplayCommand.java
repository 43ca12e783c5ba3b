package org.nudaq.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.compass.CompassImport;
import org.nudaq.server.compass.SegmentedCompassImport;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.replay.JournalReplay;
import org.nudaq.server.replay.LimitsInAdvance;
import org.nudaq.server.replay.ParallelReplay;
import org.nudaq.server.replay.ReplayPhases;
import org.nudaq.server.replay.ReplayResult;
import org.nudaq.server.replay.SegmentedJournalReplay;
import org.nudaq.server.replay.SessionScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nudaq replay}: a journal session (or a folder of CoMPASS list files) through the same
 * pipeline code as the daemon; prints the accounting per board/channel, writes spectra and a summary.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay a journal (or CAEN CoMPASS list files) through the pipeline.")
public final class ReplayCommand implements Callable<Integer> {
  /**
   * The locale of every number printed: the same digits and decimal point whatever the operator's locale,
   * and no locale data to load (issue 19: start-up). For any other locale, the JVM's default one too,
   * java.util.Formatter initialises the CLDR locale provider and DecimalFormatSymbols on the first %d or
   * %f: ~200 classes, ~0.01-0.02 s of a replay of 1e6 events per channel; Locale.US is its fast path.
   */
  private static final java.util.Locale PRINTED = java.util.Locale.US;

  @Mixin
  RecordedInputOptions recorded;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "configuration; for a journal the default is the one journaled with the session")
  Path config;

  @Option(names = "--pace", paramLabel = "FACTOR|max", defaultValue = "max",
      description = "max, or a factor of the recorded pace (1 = as recorded)")
  String pace;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "replay-out", description = "output directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--json", description = "print the summary as JSON")
  boolean json;

  @Option(names = "--recalibrate", description = "ignore the journaled energy calibrations and calibrate again from scratch"
      + " with the configuration's calibration section (enabled regardless); the epochs go to calibration-report.json")
  boolean recalibrate;

  @Option(names = "--all-sessions",
      description = "with --journal: replay every session of the journal, each on its own core (at most --threads at once),"
          + " each into DIR/session-N/ (bit-identical to replaying it alone with --session N)")
  boolean allSessions;

  @Option(names = "--threads", paramLabel = "N",
      description = "cores to use (default 0: every core the JVM may use; for --compass one core below 50 MB of list files"
          + " or while the load average is at least the cores): with --all-sessions, sessions replayed at once;"
          + " else one session (or one CoMPASS run) cut in time into this many segments (bit-identical to one core)",
      defaultValue = "0")
  int threads;

  /** The cores a CoMPASS replay without --threads uses, decided once ({@link #compassDefaultCores()}); 0: not yet. */
  private int compassDefaultCores;
  /** Why that is fewer cores than this process may use (one line for stderr), or null. */
  private String compassCoresReason;

  @Override
  public Integer call() throws Exception {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be 0 (every core) or more, got " + threads);
    }
    if (allSessions && recalibrate) {
      throw new IllegalArgumentException("--recalibrate applies to one session (--session N), not to --all-sessions");
    }
    if (allSessions) {
      return replayAllSessions();
    }
    Instant started = Instant.now();
    ReplayPhases phases = ReplayPhases.fromSystemProperty(System.err); // issue 19: -Dnudaq.replay.phases=true
    org.nudaq.server.calibration.CalibrationHistory calibrations = new org.nudaq.server.calibration.CalibrationHistory();
    if (recalibrate && recorded.compass() != null) {
      throw new IllegalArgumentException("--recalibrate applies to a journal (CoMPASS imports carry no calibrations)");
    }
    ReplayResult result;
    List<Map<String, Object>> files = new ArrayList<>();
    CompassImport.Result compass = null;
    // The limits model is built on a second thread while the replay runs (issue 19: fixed cost).
    LimitsInAdvance limitsModel;
    if (recorded.compass() != null) {
      if (config == null) {
        throw new IllegalArgumentException("--compass needs --config FILE (its compass.channels map)");
      }
      NudaqConfig c = new ConfigLoader().load(config);
      phases.mark("config");
      // One reactor state for the folder, or none: no limits (they need ON and OFF), no model to build.
      boolean oneStateAtMost = recorded.reactor != null || recorded.reactorTimeline == null;
      limitsModel = oneStateAtMost ? LimitsInAdvance.onDemand(c) : LimitsInAdvance.whileReplaying(c, replayThreads());
      CompassImport.Result r = replayCompass(c);
      phases.mark("replay");
      result = r.replay();
      compass = r;
      for (CompassImport.FileResult f : r.files()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", f.file().toString());
        m.put("records", f.records());
        m.put("fake", f.fake());
        m.put("unmapped", f.unmapped());
        m.put("error", f.error());
        files.add(m);
      }
    } else {
      if (recorded.reactorGiven()) {
        throw new IllegalArgumentException("--reactor, --reactor-timeline and --run-start apply to --compass only"
            + " (a journal carries its reactor states)");
      }
      // Issue 19: cut in time, the journal's first session is taken to be its only one and replays at once while this
      // thread's scan checks it (dropped at once if wrong); else the wanted session's first segment starts as soon as the
      // scan reads its SESSION record (SessionScan).
      ReplayedSession replayed = null;
      JournalSession s = null;
      NudaqConfig c = null;
      boolean guess = true;
      do {
        int n = threads == 0 ? ParallelReplay.defaultThreads() : threads;
        SessionScan.Scanned scanned = !cutInTime() ? new SessionScan.Scanned(JournalSession.all(recorded.journal()))
            : guess ? SessionScan.scan(recorded.journal(), recorded.session, configOf(), fromEpochMs(), toEpochMs(), n)
            : SessionScan.scanWhileReplaying(recorded.journal(), recorded.session, configOf(), fromEpochMs(), toEpochMs(), n);
        List<JournalSession> sessions = scanned.sessions();
        phases.mark(scanned.guessed() ? "session scan (guessed replay running)" : "session scan");
        if (scanned.check().records() > 0) {
          long cpuNs = scanned.check().cpuNs(); // -1 where the JVM cannot measure a thread's CPU
          phases.detail("the guess's check: %d records read, CPU this thread %s", scanned.check().records(),
              cpuNs < 0 ? "not measured" : String.format(java.util.Locale.ROOT, "%.3f s", cpuNs / 1e9));
        }
        if (scanned.guessDroppedRecords() > 0) {
          phases.detail("the first session was not the journal's only one: the guessed replay dropped after %d records claimed",
              scanned.guessDroppedRecords());
        }
        if (sessions.isEmpty() || recorded.session == 0 || recorded.session > sessions.size()) {
          scanned.cancel();
        }
        if (sessions.isEmpty()) {
          throw new IllegalArgumentException("the journal at " + recorded.journal().toAbsolutePath() + " has no session: nothing to replay");
        }
        if (recorded.session == 0 || recorded.session > sessions.size()) {
          throw new IllegalArgumentException("--session must be 1.." + sessions.size() + " (the journal at " + recorded.journal().toAbsolutePath()
              + " holds " + sessions.size() + " sessions), got " + recorded.session);
        }
        s = sessions.get(recorded.session < 0 ? sessions.size() - 1 : recorded.session - 1);
        SegmentedJournalReplay.Started early = scanned.startedFor(s);
        try {
          c = early != null ? early.config() : configOf().apply(s);
          limitsModel = LimitsInAdvance.whileReplaying(c, replayThreads()).calibratedBy(calibrations); // issue 17: masks/constraints from epochs
        } catch (RuntimeException | Error e) {
          if (early != null) {
            early.cancel(); // the replay started by the scan stops with the command (review of session 10)
          }
          throw e;
        }
        phases.mark("config");
        replayed = replaySession(sessions, s, c, early, calibrations, phases); // null: a guess held by the scan broken by the segments (not expected: they read the same records): scan and replay again
        guess = false;
      } while (replayed == null);
      result = replayed.result();
      phases.mark("replay");
      // The session's runs and logbook (issue 18), as the daemon keeps them in <data>/runs: from the segments
      // when the session was cut in time (issue 19: no second pass over the journal), else read from it.
      new org.nudaq.server.shift.ShiftFiles(out.resolve("runs")).writeAll(replayed.shift() != null ? replayed.shift()
          : org.nudaq.server.shift.ShiftReplay.read(recorded.journal(), s, c.slowControl()));
      phases.mark("runs and logbook");
    }
    Map<String, Object> extra = new LinkedHashMap<>(); // the summary is written once, with these last
    if (!files.isEmpty()) {
      extra.put("files", files);
    }
    if (compass != null) {
      extra.put("reactorSource", compass.reactorSource());
      extra.put("liveTime", liveTime(compass.liveTime()));
    }
    Map<String, Object> summary = result.write(out, started, Instant.now(), limitsModel, extra);
    phases.mark("spectra and summary");
    if (!calibrations.channels().isEmpty()) { // issue 17: the calibration report of the replayed run
      org.nudaq.server.daemon.RunSummary.write(calibrations.report(), out.resolve("calibration-report.json"));
    }
    if (json) {
      System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
    } else {
      // Formatted here and written at once: System.out flushes at every token of a printf (autoflush),
      // ~230 writes for this report (issue 19: a small replay's fixed cost).
      java.util.Formatter report = new java.util.Formatter(new StringBuilder(1024), PRINTED);
      print(report, result, files);
      if (compass != null) {
        CompassImport.LiveTimeEstimate lt = compass.liveTime();
        report.format("reactor state: %s%n", compass.reactorSource());
        report.format("live time ESTIMATED (list files record none): real time %.6f s from %s; dead time: %s%n",
            lt.realTimeSeconds(), lt.realTimeSource(), lt.deadTimeMethod());
        if (lt.runFileProblem() != null) {
          report.format("warning: %s%n", lt.runFileProblem());
        }
      }
      report.format("nudaq replay: spectra and replay-summary.json in %s%n", out.toAbsolutePath());
      System.out.print(report);
      System.out.flush();
    }
    phases.mark("printed");
    return 0;
  }

  /** The threads the replay of one session or run will use (--threads, 0: every core; 1 where it cannot be cut). */
  private int replayThreads() {
    boolean oneCore = recalibrate || recorded.compass() == null && !Double.isInfinite(JournalReplay.Pace.parse(pace).factor());
    if (oneCore || threads != 0) {
      return oneCore ? 1 : threads;
    }
    return recorded.compass() != null ? compassDefaultCores() : ParallelReplay.defaultThreads();
  }

  /**
   * The cores of a CoMPASS replay without --threads ({@link CompassDefaultThreads}: the folder's size and the
   * load average), decided once, so that the limits model's thread and the segments see the same count.
   */
  private int compassDefaultCores() {
    if (compassDefaultCores == 0) {
      CompassDefaultThreads.Choice choice = CompassDefaultThreads.of(recorded.compass(), ParallelReplay.defaultThreads());
      compassDefaultCores = choice.cores();
      compassCoresReason = choice.reason();
    }
    return compassDefaultCores;
  }

  /**
   * One CoMPASS run cut in time over --threads cores (issue 19, {@link SegmentedCompassImport}: bit-identical);
   * without --threads every core, but one for a small run ({@link CompassDefaultThreads}).
   */
  private CompassImport.Result replayCompass(NudaqConfig c) {
    int n = threads == 0 ? compassDefaultCores() : threads;
    // The CPU per segment is measured only where it is printed (--threads given): see SegmentedCompassImport.measureCpu.
    SegmentedCompassImport.Outcome o = new SegmentedCompassImport(c, threads > 0).run(recorded.compass(),
        recorded.compassOptions(c.reactor().thermalPowerMW()), n);
    if (threads == 0 && compassCoresReason != null) {
      // Fewer cores than this process may use: said once the replay went through (an error stays one line).
      System.err.println(compassCoresReason);
    }
    report(o.notes(), o.segments(), n, o.segmentCpuNs(), "set-up, first cut, joins and segments fed again", o.joinCpuNs());
    return o.result();
  }

  /**
   * Says on stderr why one core or which segment was replayed again, and (--threads given) the segments on
   * {@code threadCount} threads (more segments than threads: a thread that ran out cut another), the CPU of each
   * segment's first replay and the CPU {@code otherCpuNs} of what {@code otherCpu} names.
   */
  private void report(List<String> notes, int segments, int threadCount, long[] segmentCpuNs, String otherCpu, long otherCpuNs) {
    for (String note : notes) {
      if (threads > 1 || !note.startsWith("replay: one core")) { // one core by default: said only when cores were asked for
        System.err.println(note);
      }
    }
    if (threads > 0) { // asked for: the CPU per core, what a quiet machine's wall time follows (docs/benchmarks.md)
      StringBuilder cpu = new StringBuilder();
      for (long ns : segmentCpuNs) {
        cpu.append(cpu.length() == 0 ? "" : ", ").append(String.format(PRINTED, "%.2f", ns * 1e-9));
      }
      System.err.printf(PRINTED, "replay: %d segment%s on %d thread%s%s; CPU s per segment (first replay): %s; %s: %.2f s%n",
          segments, segments == 1 ? "" : "s", threadCount, threadCount == 1 ? "" : "s",
          segments > threadCount ? " (a thread that ran out cut another)" : "", cpu, otherCpu, otherCpuNs * 1e-9);
    }
  }

  /**
   * A session's replay and, when it was cut in time, its shift record as the segments met it (else null: read
   * it from the journal).
   */
  private record ReplayedSession(ReplayResult result, org.nudaq.server.shift.ShiftRecord shift) {}

  /**
   * One session: cut in time over --threads cores (issue 19, {@link SegmentedJournalReplay}: bit-identical)
   * at --pace max without --recalibrate, else on one core; says so in one line where it must stay on one core.
   */
  private ReplayedSession replaySession(List<JournalSession> sessions, JournalSession s, NudaqConfig c, SegmentedJournalReplay.Started early,
      org.nudaq.server.calibration.CalibrationHistory calibrations, ReplayPhases phases) {
    long from = fromEpochMs();
    long to = toEpochMs();
    int n = threads == 0 ? ParallelReplay.defaultThreads() : threads;
    JournalReplay.Pace p = JournalReplay.Pace.parse(pace);
    if (early == null && (n < 2 && threads != 1 || recalibrate || !Double.isInfinite(p.factor()))) {
      if (threads > 1) {
        System.err.println("replay: one core: " + (recalibrate ? "--recalibrate calibrates in order from the start" : "--pace is not max"));
      }
      return new ReplayedSession(new JournalReplay().replay(recorded.journal(), s, c, from, to, p, recalibrate, calibrations),
          null);
    }
    int i = 0;
    while (sessions.get(i) != s) { // by identity: a record's equals is bootstrapped at its first call (~0.02 s cold, issue 19)
      i++;
    }
    long end;
    if (i + 1 < sessions.size()) {
      end = sessions.get(i + 1).startIndex();
    } else {
      end = Long.MAX_VALUE; // the journal's end, found by the reader that cuts the session (one reader less to open)
    }
    phases.mark("session end");
    SegmentedJournalReplay.Outcome o = early != null ? early.finish(end, calibrations, phases)
        : new SegmentedJournalReplay().replay(recorded.journal(), s, end, c, from, to, n, calibrations, phases);
    if (o == null) {
      return null; // the session was taken to be the journal's only one, and it is not (SessionScan): nothing applied yet
    }
    report(o.notes(), o.segments(), n, o.segmentCpuNs(), "joins and second replays of segments", o.joinCpuNs());
    return new ReplayedSession(o.result(), o.shift());
  }

  /** Whether one session is cut in time over several cores (2 or more, --pace max, no --recalibrate; issue 19). */
  private boolean cutInTime() {
    int n = threads == 0 ? ParallelReplay.defaultThreads() : threads;
    return n >= 2 && !recalibrate && Double.isInfinite(JournalReplay.Pace.parse(pace).factor());
  }

  /** --from as epoch ms (none: Long.MIN_VALUE). */
  private long fromEpochMs() {
    return recorded.from == null ? Long.MIN_VALUE : recorded.from.toEpochMilli();
  }

  /** --to as epoch ms (none: Long.MAX_VALUE). */
  private long toEpochMs() {
    return recorded.to == null ? Long.MAX_VALUE : recorded.to.toEpochMilli();
  }

  /** A session's configuration: --config (loaded once) or the one journaled with the session. */
  private java.util.function.Function<JournalSession, NudaqConfig> configOf() {
    if (config == null) {
      return JournalReplay::sessionConfig;
    }
    return s -> {
      if (givenConfig == null) {
        givenConfig = new ConfigLoader().load(config);
      }
      return givenConfig;
    };
  }

  /** --config once loaded ({@link #configOf}). */
  private NudaqConfig givenConfig;

  /** --all-sessions: every session of the journal, at most --threads at once, each into out/session-N/. */
  private Integer replayAllSessions() throws Exception {
    if (recorded.compass() != null) {
      throw new IllegalArgumentException("--all-sessions applies to --journal only (a CoMPASS folder is one run)");
    }
    if (recorded.reactorGiven()) {
      throw new IllegalArgumentException("--reactor, --reactor-timeline and --run-start apply to --compass only"
          + " (a journal carries its reactor states)");
    }
    if (recorded.session != -1) {
      throw new IllegalArgumentException("give --session N or --all-sessions, not both");
    }
    if (!pace.equalsIgnoreCase("max")) {
      throw new IllegalArgumentException("--all-sessions replays at --pace max only");
    }
    List<JournalSession> sessions = JournalSession.all(recorded.journal());
    if (sessions.isEmpty()) {
      throw new IllegalArgumentException("the journal at " + recorded.journal().toAbsolutePath() + " has no session: nothing to replay");
    }
    NudaqConfig given = config == null ? null : new ConfigLoader().load(config);
    List<Integer> numbers = new ArrayList<>();
    for (int i = 1; i <= sessions.size(); i++) {
      numbers.add(i);
    }
    int n = threads == 0 ? ParallelReplay.defaultThreads() : threads;
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    // Each session's spectra and summary are written by the thread that replayed it, as soon as it is done.
    Map<Integer, Map<String, Object>> summaries = new java.util.concurrent.ConcurrentHashMap<>();
    List<ParallelReplay.SessionResult> results;
    try {
      results = replayEach(sessions, numbers, given, n, started, summaries);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause(); // an output that cannot be written: the same one-line error as a single replay's
    }
    return printAll(results, summaries, System.nanoTime() - t0, n);
  }

  private List<ParallelReplay.SessionResult> replayEach(List<JournalSession> sessions, List<Integer> numbers, NudaqConfig given, int n,
      Instant started, Map<Integer, Map<String, Object>> summaries) {
    return new ParallelReplay().replay(recorded.journal(), sessions, numbers,
        s -> given != null ? given : JournalReplay.sessionConfig(s),
        recorded.from == null ? Long.MIN_VALUE : recorded.from.toEpochMilli(),
        recorded.to == null ? Long.MAX_VALUE : recorded.to.toEpochMilli(), n, r -> {
          Path dir = out.resolve("session-" + r.number());
          try {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("session", r.number());
            extra.put("sessionStart", Instant.ofEpochMilli(r.session().startEpochMs()).toString());
            // Issue 17: the limits take the session's journaled calibrations (mask widths, energy-scale constraints).
            org.nudaq.server.calibration.CalibrationHistory journaled =
                org.nudaq.server.replay.JournaledCalibrations.of(recorded.journal(), r.session());
            Map<String, Object> summary = journaled.channels().isEmpty() ? r.result().write(dir, started, Instant.now(), extra)
                : r.result().write(dir, started, Instant.now(),
                    LimitsInAdvance.onDemand(r.result().config()).calibratedBy(journaled), extra);
            summaries.put(r.number(), summary);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  private Integer printAll(List<ParallelReplay.SessionResult> results, Map<Integer, Map<String, Object>> summaries, long elapsed, int n)
      throws Exception {
    List<Map<String, Object>> all = new ArrayList<>();
    long events = 0;
    for (ParallelReplay.SessionResult r : results) {
      Path dir = out.resolve("session-" + r.number());
      all.add(summaries.get(r.number()));
      events += r.result().events();
      if (!json) {
        System.out.printf(PRINTED, "session %d (started %s): %d events, decode errors %d, accounting balances: %s -> %s%n", r.number(),
            Instant.ofEpochMilli(r.session().startEpochMs()), r.result().events(), r.result().decodeErrors(),
            r.result().accountingBalances(), dir.toAbsolutePath());
      }
    }
    if (json) {
      System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
    } else {
      System.out.printf(PRINTED, "%d sessions, %d events replayed and written in %.3f s (%.3g events/s) on %d threads%n", results.size(), events, elapsed * 1e-9,
          elapsed == 0 ? 0 : events * 1e9 / elapsed, Math.min(n, results.size()));
    }
    return 0;
  }

  private static Map<String, Object> liveTime(CompassImport.LiveTimeEstimate lt) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("estimated", lt.estimated());
    m.put("realTimeSeconds", lt.realTimeSeconds());
    m.put("realTimeSource", lt.realTimeSource());
    m.put("deadTimeMethod", lt.deadTimeMethod());
    m.put("deadTimePerEventNs", lt.deadTimePerEventNs());
    m.put("triggerCounterFlagsPerFile", lt.triggerCounterFlags());
    m.put("runFileProblem", lt.runFileProblem());
    return m;
  }

  private static void print(java.util.Formatter report, ReplayResult r, List<Map<String, Object>> files) {
    for (Map<String, Object> f : files) {
      report.format("file %s: %d records, %d fake, %d unmapped%s%n", f.get("file"), f.get("records"), f.get("fake"),
          f.get("unmapped"), f.get("error") == null ? "" : ", ERROR " + f.get("error"));
    }
    report.format("%-6s %-8s %-6s %12s %12s %12s %12s %12s%n", "board", "channel", "role", "read", "accepted", "vetoed",
        "rejected", "gated");
    for (PipelineSnapshot.ChannelSnapshot c : r.snapshot().channels()) {
      long rej = sum(c.rejected().values());
      long gat = sum(c.gated().values());
      report.format("%-6d %-8d %-6s %12d %12d %12d %12d %12d%n", c.boardId(), c.channel(), c.hpge() ? "hpge" : "nai",
          c.received(), c.accepted(), c.vetoed(), rej, gat);
    }
    report.format("%d events in %.3f s (%.3g events/s); decode errors %d; accounting balances: %s%n", r.events(),
        r.elapsedNanos() * 1e-9, r.eventsPerSecond(), r.decodeErrors(), r.accountingBalances());
  }

  /** The sum of counts (a loop: a method reference here is a lambda class spun at run time, which JDK 17's archive does not hold). */
  private static long sum(java.util.Collection<Long> counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }
}
