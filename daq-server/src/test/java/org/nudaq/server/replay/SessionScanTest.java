package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.server.calibration.CalibrationHistory;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.pipeline.bench.BenchStream;
import org.nudaq.server.replay.SegmentedJournalReplay.Splitting;

/**
 * Issue 19 (the session scan overlapped with the replay): a 2-core replay whose first segment starts at the
 * session's SESSION record before the session's end is known ({@link SegmentedJournalReplay#start}, through
 * {@link SessionScan} as {@code nudaq replay} does it) gives the bits of the single-threaded replay, whether the
 * running segment is split once the end is known, the session is too short to cut, or the scan shows another
 * session to be the one wanted. The split is made deterministic here: segment 1 waits at its second claim of
 * records until the end is given, so that a split always happens, whatever the machine's speed.
 */
class SessionScanTest {
  private static final long ANY_TIME_FROM = Long.MIN_VALUE;
  private static final long ANY_TIME_TO = Long.MAX_VALUE;
  /** Split while running whenever 256 records or more are left (the default, 16384, is more than these sessions hold). */
  private static final SegmentedJournalReplay.Splitting SMALL_SPLITS = new SegmentedJournalReplay.Splitting(Integer.MAX_VALUE, 0, 256);

  @Test
  void aSegmentStartedBeforeTheSessionsEndIsKnownIsSplitWhenItIsAndJoinedBitIdentically(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source()));
    try (JournalWriter w = writer(journal, yaml)) {
      writeSession(w, yaml, 3000, 41);
    }
    JournalSession session = JournalSession.last(journal);
    NudaqConfig config = JournalReplay.sessionConfig(session);
    ReplayResult alone = new JournalReplay().replay(journal, session, config, ANY_TIME_FROM, ANY_TIME_TO, JournalReplay.Pace.max());
    assertThat(alone.snapshot().detectors().get(0).liveTimeBeforeGatesOffSeconds()).isGreaterThan(0);
    String expected = SegmentedReplayTest.spectraDigest(alone, dir.resolve("alone"));
    for (int threads : new int[] {2, 3}) {
      SegmentedJournalReplay.Started started =
          new SegmentedJournalReplay(SMALL_SPLITS, SegmentedJournalReplay.Hold.UNTIL_CUT).start(journal, session, config, ANY_TIME_FROM,
              ANY_TIME_TO, threads);
      SegmentedJournalReplay.Outcome o = started.finish(Long.MAX_VALUE, new CalibrationHistory(), ReplayPhases.off());
      // Held at record 256 until the end was given: a split for each waiting thread, perhaps more at the end.
      assertThat(o.segments()).as("segments on %d cores", threads).isGreaterThanOrEqualTo(threads);
      assertThat(o.notes()).as("cut, not on one core").noneMatch(n -> n.startsWith("replay: one core"));
      SegmentedReplayTest.assertSame(o.result(), alone);
      assertThat(SegmentedReplayTest.spectraDigest(o.result(), dir.resolve("early-" + threads))).isEqualTo(expected);

      // Not scanned at all: the journal's first session taken to be its only one (it is), cut at once, the guess held.
      for (int wanted : new int[] {-1, 1}) {
        SessionScan.Scanned guessed = SessionScan.scan(journal, wanted, JournalReplay::sessionConfig, ANY_TIME_FROM, ANY_TIME_TO, threads);
        assertThat(guessed.guessed()).isTrue();
        assertThat(guessed.sessions()).singleElement().extracting(JournalSession::startIndex).isEqualTo(session.startIndex());
        // Session 11: the session as read whole (its CLOSED record is the journal's last), as the scan finds it.
        assertThat(guessed.sessions()).as("as JournalSession.all reads it").isEqualTo(JournalSession.all(journal));
        assertThat(guessed.sessions().get(0).closed()).isTrue();
        SegmentedJournalReplay.Outcome g = guessed.startedFor(guessed.sessions().get(0)).finish(Long.MAX_VALUE, new CalibrationHistory(),
            ReplayPhases.off());
        assertThat(g).as("the guess held").isNotNull();
        assertThat(g.segments()).isGreaterThanOrEqualTo(threads);
        SegmentedReplayTest.assertSame(g.result(), alone);
        assertThat(SegmentedReplayTest.spectraDigest(g.result(), dir.resolve("guessed-" + threads + "-" + wanted))).isEqualTo(expected);
      }
    }
  }

  /**
   * Review of session 10: a journal that begins with the end of a session whose SESSION record the retention deleted
   * (its CLOSED record kept) is still guessed to hold one session from its first SESSION record on: that CLOSED record
   * is before the guessed session and breaks nothing (before the fix, the guess was dropped at once and the replay
   * fell back to the scan, saying "the first session was not the journal's only one").
   */
  @Test
  void aClosedRecordBeforeTheFirstSessionDoesNotBreakTheGuess(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source()));
    JournalConfig hourlyKeepingOne = new JournalConfig(true, "j", JournalConfig.RollCycle.FAST_HOURLY, 1, 0);
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-03-01T00:10:00Z"));
    try (JournalWriter w = new JournalWriter(journal, hourlyKeepingOne, clock, JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0, time)) {
      w.session("session.yaml", yaml);
      for (int c = 0; c < 4; c++) { // four hourly cycle files, then CLOSED in the fourth
        if (c > 0) {
          time.advanceMillis(TimeUnit.HOURS.toMillis(1));
        }
        w.frame(0, new byte[] {(byte) c}, 1, 0);
      }
      w.finished();
      w.housekeeping(); // the retention deletes the first cycles, the old session's SESSION record with them
    }
    time.advanceMillis(TimeUnit.HOURS.toMillis(1));
    try (JournalWriter w = new JournalWriter(journal, hourlyKeepingOne, clock, JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0, time)) {
      writeSession(w, yaml, 3000, 47);
    }
    List<JournalSession> sessions = JournalSession.all(journal);
    assertThat(sessions).as("the old session's start is gone: one session").hasSize(1);
    JournalSession session = sessions.get(0);
    NudaqConfig config = JournalReplay.sessionConfig(session);
    ReplayResult alone = new JournalReplay().replay(journal, session, config, ANY_TIME_FROM, ANY_TIME_TO, JournalReplay.Pace.max());
    assertThat(alone.events()).isGreaterThan(0);
    SessionScan.Scanned guessed = SessionScan.scan(journal, -1, JournalReplay::sessionConfig, ANY_TIME_FROM, ANY_TIME_TO, 2);
    assertThat(guessed.guessed()).as("the guess held").isTrue();
    assertThat(guessed.sessions()).singleElement().extracting(JournalSession::startIndex).isEqualTo(session.startIndex());
    SegmentedJournalReplay.Outcome g = guessed.startedFor(guessed.sessions().get(0)).finish(Long.MAX_VALUE, new CalibrationHistory(),
        ReplayPhases.off());
    assertThat(g).as("the guess held to the end").isNotNull();
    SegmentedReplayTest.assertSame(g.result(), alone);
  }

  /**
   * Session 11: on a live journal (a daemon still writing), the guess's check stops at the first record appended since
   * the guess (past the journal's last record then: here a slow-control reading) instead of reading on over the frames
   * appended since, to the next SESSION or CLOSED record or the journal's end; it holds, the session unclosed.
   */
  @Test
  void theGuesssCheckStopsAtTheFirstRecordAppendedSinceTheGuess(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source()));
    try (JournalWriter w = writer(journal, yaml)) {
      w.session("session.yaml", yaml);
      for (int f = 0; f < 100; f++) {
        w.frame(0, new byte[] {(byte) f}, 1, 0);
      }
      try (org.nudaq.server.journal.JournalReader r = new org.nudaq.server.journal.JournalReader(journal)) {
        r.skipFrames(true);
        List<JournalSession> sessions = new java.util.ArrayList<>();
        SessionScan.Sessions v = new SessionScan.Sessions(sessions);
        while (sessions.isEmpty() && r.next(v)) {
          // to the SESSION record
        }
        long lastIndex = r.lastIndex();
        long readBefore = r.records();
        // Appended by the daemon after the guess: a state record first, then frames, then another state record.
        w.slowControl(0, "t", 1.0, 0, 0);
        for (int f = 0; f < 500; f++) {
          w.frame(0, new byte[] {(byte) f}, 1, 0);
        }
        w.slowControl(0, "t", 2.0, 0, 0);
        assertThat(SessionScan.checkGuess(r, v, lastIndex)).as("the guess holds").isTrue();
        // the SESSION record read again, the 100 frames of the guess, and the first record appended since: no more
        assertThat(r.records() - readBefore).isEqualTo(1 + 100 + 1);
        assertThat(sessions).singleElement().extracting(JournalSession::closed).isEqualTo(false);
      }
    }
  }

  @Test
  void theScanStartsTheWantedSessionCancelsAWrongGuessAndEverySessionReplaysBitIdentically(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source()));
    String yaml2 = yaml + "\n# the second session's configuration\n";
    try (JournalWriter w = writer(journal, yaml)) {
      writeSession(w, yaml, 1500, 7);
    }
    try (JournalWriter w = writer(journal, yaml2)) {
      writeSession(w, yaml2, 1200, 8);
    }
    List<JournalSession> sessions = JournalSession.all(journal);
    assertThat(sessions).hasSize(2);

    // The first session taken to be the only one (for the last or the first) and replayed at once, the scan finds the
    // second session's CLOSED and SESSION records: the guess is dropped and the wanted session is the one started.
    for (int wanted : new int[] {-1, 1}) {
      SessionScan.Scanned guessed = SessionScan.scan(journal, wanted, JournalReplay::sessionConfig, ANY_TIME_FROM, ANY_TIME_TO, 2);
      assertThat(guessed.guessed()).isFalse();
      assertThat(guessed.sessions()).isEqualTo(sessions);
      JournalSession s = sessions.get(wanted < 0 ? 1 : 0);
      assertThat(guessed.started()).as("session %d started", wanted).isNotNull();
      assertThat(guessed.started().session().startIndex()).isEqualTo(s.startIndex());
      guessed.cancel();
    }

    // Scanned: the last session wanted: the first one read is started, then cancelled when the second SESSION record is read.
    SessionScan.Scanned last = SessionScan.scanWhileReplaying(journal, -1, JournalReplay::sessionConfig, ANY_TIME_FROM, ANY_TIME_TO, 2);
    assertThat(last.sessions()).isEqualTo(sessions);
    assertThat(last.started()).as("the guess (the first session) was cancelled").isNull();
    assertThat(last.startedFor(sessions.get(1))).isNull();

    for (int number : new int[] {1, 2}) {
      JournalSession s = sessions.get(number - 1);
      NudaqConfig config = JournalReplay.sessionConfig(s);
      ReplayResult alone = new JournalReplay().replay(journal, s, config, ANY_TIME_FROM, ANY_TIME_TO, JournalReplay.Pace.max());
      assertThat(alone.events()).isGreaterThan(0);
      SessionScan.Scanned scanned = SessionScan.scanWhileReplaying(journal, number, JournalReplay::sessionConfig, ANY_TIME_FROM, ANY_TIME_TO, 2);
      SegmentedJournalReplay.Started started = scanned.startedFor(s);
      assertThat(started).as("session %d started while the scan went on", number).isNotNull();
      assertThat(started.session().startIndex()).isEqualTo(s.startIndex());
      assertThat(started.config().source()).isEqualTo(config.source());
      long end = number < sessions.size() ? sessions.get(number).startIndex() : Long.MAX_VALUE;
      SegmentedJournalReplay.Outcome o = started.finish(end, new CalibrationHistory(), ReplayPhases.off());
      // The default splitting: these sessions are too short to split (fewer than 16384 records), one segment.
      assertThat(o.segments()).isEqualTo(1);
      SegmentedReplayTest.assertSame(o.result(), alone);
      assertThat(SegmentedReplayTest.spectraDigest(o.result(), dir.resolve("s" + number)))
          .isEqualTo(SegmentedReplayTest.spectraDigest(alone, dir.resolve("alone-" + number)));
    }
    // A session asked for that the journal does not hold: nothing started.
    SessionScan.Scanned none = SessionScan.scan(journal, 3, JournalReplay::sessionConfig, ANY_TIME_FROM, ANY_TIME_TO, 2);
    assertThat(none.guessed()).isFalse();
    assertThat(none.sessions()).hasSize(2);
    assertThat(none.started()).isNull();
  }

  @Test
  void aWrongGuessIsDroppedAsSoonAsTheScanSeesItAndTheWantedSessionReplaysBitIdentically(@TempDir Path dir) throws Exception {
    // A journal as the daemon leaves it: a long first session (~97 % of the records) and a short one after it.
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source()));
    int firstFrames = 8000;
    try (JournalWriter w = writer(journal, yaml)) {
      writeSession(w, yaml, firstFrames, 11);
    }
    String yaml2 = yaml + "\n# the second session's configuration\n";
    try (JournalWriter w = writer(journal, yaml2)) {
      writeSession(w, yaml2, 250, 12);
    }
    List<JournalSession> two = JournalSession.all(journal);
    assertThat(two).hasSize(2);
    // The guessed segments are held at their second claim until the scan has decided (as a fast scan would find them):
    // each has replayed at most one claim when the guess is dropped. The segments' own checks alone (before) let the
    // guess run until one met the second session's records: about the whole first session between them.
    SegmentedJournalReplay held = new SegmentedJournalReplay(Splitting.balanced(), SegmentedJournalReplay.Hold.UNTIL_GUESS_CHECKED);
    for (int wanted : new int[] {-1, 1}) {
      JournalSession s = two.get(wanted < 0 ? 1 : 0);
      ReplayResult alone = new JournalReplay().replay(journal, s, JournalReplay.sessionConfig(s), ANY_TIME_FROM, ANY_TIME_TO,
          JournalReplay.Pace.max());
      assertThat(alone.events()).isGreaterThan(0);
      String expected = SegmentedReplayTest.spectraDigest(alone, dir.resolve("alone" + wanted));
      for (int threads : new int[] {2, 3}) {
        SessionScan.Scanned scanned = SessionScan.scan(held, journal, wanted, JournalReplay::sessionConfig, ANY_TIME_FROM, ANY_TIME_TO, threads);
        assertThat(scanned.guessed()).as("the guess is found wrong").isFalse();
        assertThat(scanned.sessions()).isEqualTo(two);
        assertThat(scanned.guessDroppedRecords()).as("records the dropped guess claimed on %d cores", threads)
            .isLessThanOrEqualTo(threads * SegmentedJournalReplay.CLAIM_RECORDS)
            .isLessThan(firstFrames / 10);
        SegmentedJournalReplay.Started started = scanned.startedFor(s);
        assertThat(started).as("session %d started while the scan went on", wanted).isNotNull();
        long end = wanted < 0 ? Long.MAX_VALUE : two.get(1).startIndex();
        CalibrationHistory history = new CalibrationHistory();
        SegmentedJournalReplay.Outcome o = started.finish(end, history, ReplayPhases.off());
        SegmentedReplayTest.assertSame(o.result(), alone);
        assertThat(SegmentedReplayTest.spectraDigest(o.result(), dir.resolve("w" + wanted + "-" + threads))).isEqualTo(expected);
      }
    }

    // A third session: the last one is not the second read either: nothing started, the command replays it after the scan.
    try (JournalWriter w = writer(journal, yaml)) {
      writeSession(w, yaml, 200, 13);
    }
    SessionScan.Scanned three = SessionScan.scan(held, journal, -1, JournalReplay::sessionConfig, ANY_TIME_FROM, ANY_TIME_TO, 2);
    assertThat(three.guessed()).isFalse();
    assertThat(three.sessions()).isEqualTo(JournalSession.all(journal)).hasSize(3);
    assertThat(three.started()).isNull();
    assertThat(three.guessDroppedRecords()).isLessThanOrEqualTo(2 * SegmentedJournalReplay.CLAIM_RECORDS);

    // One session only (a journal of its own): the scan finds the guess right and lets the held segments go on.
    Path one = dir.resolve("one");
    try (JournalWriter w = writer(one, yaml)) {
      writeSession(w, yaml, 3000, 41);
    }
    JournalSession only = JournalSession.last(one);
    SessionScan.Scanned right = SessionScan.scan(held, one, -1, JournalReplay::sessionConfig, ANY_TIME_FROM, ANY_TIME_TO, 2);
    assertThat(right.guessed()).isTrue();
    assertThat(right.guessDroppedRecords()).isZero();
    SegmentedJournalReplay.Outcome o = right.startedFor(only).finish(Long.MAX_VALUE, new CalibrationHistory(), ReplayPhases.off());
    assertThat(o).isNotNull();
    SegmentedReplayTest.assertSame(o.result(),
        new JournalReplay().replay(one, only, JournalReplay.sessionConfig(only), ANY_TIME_FROM, ANY_TIME_TO, JournalReplay.Pace.max()));
  }

  @Test
  void theCommandOnTwoCoresReplaysTheLastOrFirstSessionOfAJournalOfSeveralAsOnOne(@TempDir Path dir) throws Exception {
    // The command's path (nudaq replay --journal): the guess made, found wrong by the scan, the wanted session replayed.
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source()));
    try (JournalWriter w = writer(journal, yaml)) {
      writeSession(w, yaml, 4000, 21);
    }
    try (JournalWriter w = writer(journal, yaml + "\n# the second session's configuration\n")) {
      writeSession(w, yaml + "\n# the second session's configuration\n", 300, 22);
    }
    for (String session : new String[] {null, "1", "2"}) {
      String[] digests = new String[2];
      for (int threads = 1; threads <= 2; threads++) {
        Path out = dir.resolve("out-" + session + "-" + threads);
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = org.nudaq.server.cli.ServerMain.commandLine();
        cli.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
        cli.setErr(new java.io.PrintWriter(err, true));
        List<String> args = new java.util.ArrayList<>(List.of("replay", "--journal", journal.toString(), "--threads",
            Integer.toString(threads), "--out", out.toString()));
        if (session != null) {
          args.addAll(List.of("--session", session));
        }
        assertThat(cli.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
        digests[threads - 1] = digestOf(out.resolve("spectra"));
      }
      assertThat(digests[1]).as("--session %s on 2 cores", session).isEqualTo(digests[0]);
    }
    assertThat(digestOf(dir.resolve("out-null-1").resolve("spectra"))).as("no --session: the last")
        .isEqualTo(digestOf(dir.resolve("out-2-1").resolve("spectra")))
        .isNotEqualTo(digestOf(dir.resolve("out-1-1").resolve("spectra")));
  }

  /** SHA-256 of every file under {@code root}, names and bytes, in name order. */
  private static String digestOf(Path root) throws Exception {
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    List<Path> files;
    try (java.util.stream.Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      sha.update(root.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update(Files.readAllBytes(f));
    }
    return java.util.HexFormat.of().formatHex(sha.digest());
  }

  @Test
  void aSessionTooShortToCutIsReplayedByTheSegmentStartedAloneAndSaysSo(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source()));
    try (JournalWriter w = writer(journal, yaml)) {
      writeSession(w, yaml, 100, 5); // ~104 records: fewer than 64 per segment on 2 cores
    }
    JournalSession session = JournalSession.last(journal);
    NudaqConfig config = JournalReplay.sessionConfig(session);
    ReplayResult alone = new JournalReplay().replay(journal, session, config, ANY_TIME_FROM, ANY_TIME_TO, JournalReplay.Pace.max());
    SegmentedJournalReplay.Outcome o = new SegmentedJournalReplay(SMALL_SPLITS, SegmentedJournalReplay.Hold.UNTIL_CUT)
        .start(journal, session, config, ANY_TIME_FROM, ANY_TIME_TO, 2)
        .finish(Long.MAX_VALUE, new CalibrationHistory(), ReplayPhases.off());
    assertThat(o.segments()).isEqualTo(1);
    assertThat(o.notes()).singleElement().asString().startsWith("replay: one core:").contains("too few to cut into 2 segments");
    SegmentedReplayTest.assertSame(o.result(), alone);
  }

  private static JournalWriter writer(Path journal, String yaml) {
    return new JournalWriter(journal, new ConfigLoader().parse("session.yaml", yaml).journal(), Clock.systemUTC());
  }

  /** A session of {@code frameCount} frames of the bench stream, the reactor OFF in its middle third, CLOSED at its end. */
  private static void writeSession(JournalWriter w, String yaml, int frameCount, long seed) {
    byte[][] frames = SegmentedReplayTest.frames(BenchStream.Events.generate(frameCount * BenchStream.EVENTS_PER_FRAME, seed), frameCount,
        f -> f >= frameCount / 3 && f < 2 * frameCount / 3 ? FrameDescriptor.REACTOR_OFF : FrameDescriptor.REACTOR_ON);
    SegmentedReplayTest.writeSession(w, yaml, frames);
  }
}
