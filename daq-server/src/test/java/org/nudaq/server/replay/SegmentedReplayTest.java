package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameWriter;
import org.nudaq.server.calibration.CalibrationHistory;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.bench.BenchStream;

/**
 * Issue 19: ONE journal session cut in time over several cores ({@link SegmentedJournalReplay}) gives
 * the same bits as the single-threaded replay ({@link JournalReplay}): every bin, every live-time double,
 * every count, and the same SHA-256 of the spectra files — with a reactor transition, bad data-quality
 * slices, muons and NaI vetoes at the segments' boundaries (the real daemon's journal with online
 * calibrations: JournalReplayTest).
 */
class SegmentedReplayTest {
  /** 4200 frames: the 2-core cut falls just after a slice starts, so the warm-up before it holds a whole slice. */
  private static final int FRAMES = 4200;
  /** Data-quality slices of 1 s (200 frames of the bench stream, the shortest allowed): 21 slices, one open at every boundary. */
  private static final int SLICE_SECONDS = 1;
  /** The segments of SegmentedJournalReplay.cuts, never split while they run: the geometry these tests are about. */
  private static final SegmentedJournalReplay.Splitting FIXED = SegmentedJournalReplay.Splitting.fixed();

  @Test
  void oneSessionCutOverTwoAndThreeCoresIsBitIdenticalAndJoinsEverySegment(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    NudaqConfig base = BenchStream.gemma1();
    String yaml = Files.readString(Path.of(base.source())).replace("qualitySliceSeconds: 60", "qualitySliceSeconds: " + SLICE_SECONDS);
    assertThat(yaml).contains("qualitySliceSeconds: " + SLICE_SECONDS).contains("reactorStateSource: digitizer");
    BenchStream.Events e = BenchStream.Events.generate(FRAMES * BenchStream.EVENTS_PER_FRAME, 19);
    // Where the segments start (SegmentedJournalReplay.cuts: segment 1 longer by the others' warm-up), as frames:
    // the 2-core boundary (record ~2270, frame ~2224) and the 3-core ones (records ~1545 and ~2916, frames ~1513, ~2857).
    long records = 2 + FRAMES + FRAMES / BenchStream.STATUS_EVERY_FRAMES + 1; // SESSION, HELLO, frames, a STATUS every 50, CLOSED
    long[] cuts2 = SegmentedJournalReplay.cuts(records, 2);
    int boundary2 = frameAt(cuts2[1]);
    long[] cuts3 = SegmentedJournalReplay.cuts(records, 3);
    int boundary3 = frameAt(cuts3[1]);
    int boundary3b = frameAt(cuts3[2]);
    long sliceTicks = (long) (SLICE_SECONDS * 1e9 / 4);
    // The geometry the joins below are about: the 2-core warm-up holds a whole slice before the one open at
    // the boundary; the 3-core warm-ups are shorter than a slice.
    int warmUp2 = frameAt(cuts2[1] - SegmentedJournalReplay.warmUp(cuts2[2] - cuts2[1]));
    assertThat(e.ticks[warmUp2 * BenchStream.EVENTS_PER_FRAME] / sliceTicks).isLessThanOrEqualTo(e.ticks[boundary2 * BenchStream.EVENTS_PER_FRAME] / sliceTicks - 2);
    assertThat(SegmentedJournalReplay.warmUp(cuts3[2] - cuts3[1])).isLessThan(200);
    // Noise bursts: every HPGe event at 3 keV (inside the quality band) in the slices open at the 2-core
    // boundary and at the first 3-core boundary.
    long[] burstSlices = {e.ticks[(boundary2 - 8) * BenchStream.EVENTS_PER_FRAME] / sliceTicks,
        e.ticks[(boundary3 - 5) * BenchStream.EVENTS_PER_FRAME] / sliceTicks};
    for (int i = 0; i < e.ticks.length; i++) {
      long slice = e.ticks[i] / sliceTicks;
      if (e.channel[i] == 0 && (slice == burstSlices[0] || slice == burstSlices[1])) {
        e.adc[i] = (int) (3.0 / 0.005);
      }
    }
    // The reactor OFF from the status after frame ~2176 (in the 2-core boundary's warm-up) to the one after
    // frame ~2891 (just after the second 3-core boundary).
    int off = boundary2 - 48;
    int on = boundary3b + 34;
    byte[][] frames = frames(e, FRAMES, f -> f >= off && f < on ? FrameDescriptor.REACTOR_OFF : FrameDescriptor.REACTOR_ON);
    try (JournalWriter w = new JournalWriter(journal, new ConfigLoader().parse("session.yaml", yaml).journal(), Clock.systemUTC())) {
      writeSession(w, yaml, frames);
    }
    JournalSession session = JournalSession.last(journal);
    NudaqConfig config = JournalReplay.sessionConfig(session);
    ReplayResult alone = new JournalReplay().replay(journal, session, config, Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max());
    PipelineSnapshot.DetectorSnapshot hpge = alone.snapshot().detectors().get(0);
    // What the boundaries must carry is there: both reactor states, bad slices, muons, vetoes.
    assertThat(hpge.liveTimeBeforeGatesOnSeconds()).isGreaterThan(0);
    assertThat(hpge.liveTimeBeforeGatesOffSeconds()).isGreaterThan(0);
    assertThat(hpge.badSlices()).isEqualTo(2);
    assertThat(alone.snapshot().totals().muons()).isGreaterThan(1000);
    assertThat(alone.snapshot().channels().get(0).vetoed()).isGreaterThan(1000);
    String expected = spectraDigest(alone, dir.resolve("alone"));
    long end = JournalSession.tail(journal).newestIndex() + 1;

    for (int threads : new int[] {2, 3}) {
      SegmentedJournalReplay.Outcome o = new SegmentedJournalReplay(FIXED).replay(journal, session, end, config, Long.MIN_VALUE, Long.MAX_VALUE,
          threads, new CalibrationHistory());
      assertThat(o.segments()).isEqualTo(threads);
      if (threads == 2) {
        // The bad slice open at the boundary is judged bad by the speculative segment too (its warm-up holds a
        // full good slice): joined, its earlier part sent where the verdict sends it.
        assertThat(o.notes()).as("every segment joined from its speculative replay, none replayed again").isEmpty();
      } else {
        // The warm-up of 3 segments is shorter than a slice: the speculative segment 2 has no good slice to
        // compare the burst's slice with and keeps it; the true mean condemns it, so segment 2 is replayed again.
        assertThat(o.notes()).singleElement().asString().contains("segment 2 of 3 replayed again",
            "slice " + burstSlices[1] + " of detector 0 is judged bad");
      }
      assertSame(o.result(), alone);
      assertThat(spectraDigest(o.result(), dir.resolve("segmented-" + threads))).isEqualTo(expected);
    }
  }

  @Test
  void segmentsAreCutSoThatEachReadsAsManyRecordsWarmUpIncluded() {
    // By hand: 102003 records (a 1e8-event session) on 2 cores, warm-ups at their maximum of 1024: segment 1
    // reads S = (102003 + 1024) / 2 = 51513 (rounded up by the last segment taking the remainder: 51514), segment 2
    // L = S - 1024 = 50489 records after a warm-up of 1024 (50489 / 8 = 6311: the maximum applies).
    assertThat(SegmentedJournalReplay.MAX_WARM_UP_RECORDS).isEqualTo(1024);
    assertThat(SegmentedJournalReplay.cuts(102003, 2)).containsExactly(0, 102003 - 50489, 102003);
    // 4083 records (the first test's session): warm-ups of L / 8, L = 4083 * 8 / (9 + 8) = 1921 (a warm-up of 240).
    assertThat(SegmentedJournalReplay.cuts(4083, 2)).containsExactly(0, 4083 - 1921, 4083);
    for (long records : new long[] {128, 1000, 4083, 65_536, 102_003, 1_000_003, 50_000_017}) {
      for (int threads = 2; threads <= 5; threads++) {
        if (records < SegmentedJournalReplay.MIN_RECORDS_PER_SEGMENT * threads) {
          continue;
        }
        long[] at = SegmentedJournalReplay.cuts(records, threads);
        assertThat(at).hasSize(threads + 1);
        assertThat(at[0]).isZero();
        assertThat(at[threads]).isEqualTo(records);
        long least = Long.MAX_VALUE;
        long most = 0;
        for (int k = 0; k < threads; k++) {
          long length = at[k + 1] - at[k];
          assertThat(length).as("segment %d of %d records on %d cores", k + 1, records, threads).isPositive();
          long reads = length + (k == 0 ? 0 : SegmentedJournalReplay.warmUp(length));
          least = Math.min(least, reads);
          most = Math.max(most, reads);
        }
        // Equal up to the rounding of the share and of the warm-up (1/8 of a length): a few records.
        assertThat(most - least).as("%d records on %d cores: %s", records, threads, java.util.Arrays.toString(at)).isLessThanOrEqualTo(threads + 1);
      }
    }
  }

  @Test
  void aSessionOverSeveralHourlyCycleFilesIsCutAcrossThem(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source())).replace("rollCycle: fast-daily", "rollCycle: fast-hourly");
    assertThat(yaml).contains("rollCycle: fast-hourly");
    int frameCount = 1800; // segments of ~600 records: warm-ups of 75, each with a STATUS frame (one per 51 records)
    byte[][] frames = frames(BenchStream.Events.generate(frameCount * BenchStream.EVENTS_PER_FRAME, 7), frameCount,
        f -> FrameDescriptor.REACTOR_ON);
    net.openhft.chronicle.core.time.SetTimeProvider time =
        new net.openhft.chronicle.core.time.SetTimeProvider(java.time.Instant.parse("2026-03-01T00:10:00Z"));
    long records = 0;
    try (JournalWriter w = new JournalWriter(journal, new ConfigLoader().parse("session.yaml", yaml).journal(), Clock.systemUTC(),
        JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0, time)) {
      w.session("session.yaml", yaml);
      byte[] hello = BenchStream.hello();
      w.frame(BenchStream.BOARD, hello, hello.length, 0);
      records += 2;
      for (int f = 0; f < frames.length; f++) {
        if (f > 0 && f % 500 == 0) {
          time.advanceMillis(java.util.concurrent.TimeUnit.HOURS.toMillis(1)); // the next cycle file
        }
        w.frame(BenchStream.BOARD, frames[f], frames[f].length, 0);
        records++;
      }
      w.finished();
      records++;
    }
    try (Stream<Path> files = Files.list(journal)) {
      assertThat(files.filter(f -> f.toString().endsWith(".cq4"))).hasSizeGreaterThanOrEqualTo(4); // cycle files
    }
    JournalSession session = JournalSession.last(journal);
    long end;
    try (org.nudaq.server.journal.JournalReader r = new org.nudaq.server.journal.JournalReader(journal)) {
      end = r.lastIndex() + 1;
      org.nudaq.server.journal.JournalReader.RecordRange range = r.range(session.startIndex(), end);
      assertThat(range.count()).isEqualTo(records);
      assertThat(range.firstIndex()).hasSizeGreaterThanOrEqualTo(4);
      assertThat(range.indexAt(0)).isEqualTo(session.startIndex());
    }
    NudaqConfig config = JournalReplay.sessionConfig(session);
    ReplayResult alone = new JournalReplay().replay(journal, session, config, Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max());
    SegmentedJournalReplay.Outcome o = new SegmentedJournalReplay(FIXED).replay(journal, session, end, config, Long.MIN_VALUE, Long.MAX_VALUE,
        3, new CalibrationHistory());
    assertThat(o.segments()).isEqualTo(3);
    assertThat(o.notes()).isEmpty();
    assertSame(o.result(), alone);
    assertThat(spectraDigest(o.result(), dir.resolve("segmented"))).isEqualTo(spectraDigest(alone, dir.resolve("alone")));
  }

  @Test
  void aReactorStateFromTheControlPathJournaledBeforeTheWarmUpReachesTheSpeculativeSegment(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source())).replace("reactorStateSource: digitizer", "reactorStateSource: control");
    assertThat(yaml).contains("reactorStateSource: control");
    int frameCount = 1500;
    BenchStream.Events e = BenchStream.Events.generate(frameCount * BenchStream.EVENTS_PER_FRAME, 23);
    byte[][] frames = frames(e, frameCount, f -> FrameDescriptor.REACTOR_ON);
    try (JournalWriter w = new JournalWriter(journal, new ConfigLoader().parse("session.yaml", yaml).journal(), Clock.systemUTC())) {
      w.session("session.yaml", yaml);
      byte[] hello = BenchStream.hello();
      w.frame(BenchStream.BOARD, hello, hello.length, 0);
      w.reactorState(org.nudaq.server.pipeline.ReactorState.ON, 1.0, 0); // long before the cut's warm-up
      for (int f = 0; f < frames.length; f++) {
        if (f == frames.length * 8 / 10) {
          w.reactorState(org.nudaq.server.pipeline.ReactorState.OFF, 0.0, e.spanTicks * 4 * 8 / 10);
        }
        w.frame(BenchStream.BOARD, frames[f], frames[f].length, 0);
      }
      w.finished();
    }
    JournalSession session = JournalSession.last(journal);
    NudaqConfig config = JournalReplay.sessionConfig(session);
    ReplayResult alone = new JournalReplay().replay(journal, session, config, Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max());
    assertThat(alone.snapshot().detectors().get(0).liveTimeBeforeGatesOnSeconds()).isGreaterThan(0);
    assertThat(alone.snapshot().detectors().get(0).liveTimeBeforeGatesOffSeconds()).isGreaterThan(0);
    long end;
    try (org.nudaq.server.journal.JournalReader r = new org.nudaq.server.journal.JournalReader(journal)) {
      end = r.lastIndex() + 1;
    }
    SegmentedJournalReplay.Outcome o = new SegmentedJournalReplay(FIXED).replay(journal, session, end, config, Long.MIN_VALUE, Long.MAX_VALUE,
        2, new CalibrationHistory());
    // The ON record lies long before the speculative segment's warm-up: applied first (the state records
    // before the warm-up, frames passed over), it is in force there too, so the segment is joined.
    assertThat(o.notes()).isEmpty();
    assertSame(o.result(), alone);
    assertThat(spectraDigest(o.result(), dir.resolve("segmented"))).isEqualTo(spectraDigest(alone, dir.resolve("alone")));
  }

  @Test
  void theSessionsRunsLogbookAndReadingsFromTheSegmentsAreThoseReadFromTheJournal(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source())) + "\nslowControl:\n  sensors:\n    - {name: hv, unit: V}\n";
    int frameCount = 1500;
    byte[][] frames = frames(BenchStream.Events.generate(frameCount * BenchStream.EVENTS_PER_FRAME, 29), frameCount,
        f -> FrameDescriptor.REACTOR_ON);
    long t0 = java.time.Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    try (JournalWriter w = new JournalWriter(journal, new ConfigLoader().parse("session.yaml", yaml).journal(), Clock.systemUTC())) {
      w.session("session.yaml", yaml);
      byte[] hello = BenchStream.hello();
      w.frame(BenchStream.BOARD, hello, hello.length, 0);
      // Shift records all along (every 37 frames: in every segment and in every warm-up, on 2 and 3 cores): two
      // runs, operator entries, readings.
      long run = 0;
      for (int f = 0; f < frames.length; f++) {
        long at = t0 + f * 1000L;
        if (f % 37 == 0) {
          int what = (f / 37) % 4;
          if (what == 0 && run % 2 == 0) {
            w.runStart(at, ++run, "run " + run, "sha");
          } else if (what == 2 && run % 2 == 1) {
            w.runStop(at, run, "stop " + run, "{\"events\": " + f + "}");
            run++;
          } else if (what == 1) {
            w.logbook(at, org.nudaq.server.shift.LogKind.OPERATOR.ordinal(), "shift", "note at frame " + f);
          } else {
            w.slowControl(at, "hv", 3000 + f, at, f * 5_000_000L);
          }
        }
        w.frame(BenchStream.BOARD, frames[f], frames[f].length, 0);
      }
      w.finished();
    }
    JournalSession session = JournalSession.last(journal);
    NudaqConfig config = JournalReplay.sessionConfig(session);
    org.nudaq.server.shift.ShiftRecord read = org.nudaq.server.shift.ShiftReplay.read(journal, session, config.slowControl());
    assertThat(read.runs()).hasSizeGreaterThanOrEqualTo(10);
    assertThat(read.entries(null)).hasSizeGreaterThanOrEqualTo(10);
    assertThat(read.latest("hv")).isNotNull();
    long end;
    try (org.nudaq.server.journal.JournalReader r = new org.nudaq.server.journal.JournalReader(journal)) {
      end = r.lastIndex() + 1;
    }
    for (int threads : new int[] {2, 3}) {
      SegmentedJournalReplay.Outcome o = new SegmentedJournalReplay(FIXED).replay(journal, session, end, config, Long.MIN_VALUE, Long.MAX_VALUE,
          threads, new CalibrationHistory());
      assertThat(o.segments()).isEqualTo(threads);
      assertThat(o.shift()).isNotNull();
      assertThat(o.shift().runsJson()).as("runs on %d cores", threads).isEqualTo(read.runsJson());
      assertThat(o.shift().logbookJson(null)).as("logbook on %d cores", threads).isEqualTo(read.logbookJson(null));
      assertThat(o.shift().sensorsJson()).as("readings on %d cores", threads).isEqualTo(read.sensorsJson());
    }
    // One core: nothing kept, the command reads them from the journal.
    assertThat(new SegmentedJournalReplay().replay(journal, session, end, config, Long.MIN_VALUE, Long.MAX_VALUE, 1,
        new CalibrationHistory()).shift()).isNull();
  }

  @Test
  void segmentsSplitOffWhileTheReplayRunsAreJoinedBitIdenticallyAcrossCycleFiles(@TempDir Path dir) throws Exception {
    // Issue 19 (balance): one segment at first; past the session's first 700 records it splits off the second part of
    // what it has left for each thread that has none (SegmentedJournalReplay.Splitting), here across hourly cycle
    // files, with the reactor going OFF in the middle and shift records all along.
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source())).replace("rollCycle: fast-daily", "rollCycle: fast-hourly")
        + "\nslowControl:\n  sensors:\n    - {name: hv, unit: V}\n";
    assertThat(yaml).contains("rollCycle: fast-hourly");
    int frameCount = 3000;
    byte[][] frames = frames(BenchStream.Events.generate(frameCount * BenchStream.EVENTS_PER_FRAME, 31), frameCount,
        f -> f >= 1400 && f < 2100 ? FrameDescriptor.REACTOR_OFF : FrameDescriptor.REACTOR_ON);
    net.openhft.chronicle.core.time.SetTimeProvider time =
        new net.openhft.chronicle.core.time.SetTimeProvider(java.time.Instant.parse("2026-03-01T00:10:00Z"));
    long t0 = java.time.Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    try (JournalWriter w = new JournalWriter(journal, new ConfigLoader().parse("session.yaml", yaml).journal(), Clock.systemUTC(),
        JournalWriter.FreeSpaceProbe.FILE_SYSTEM, 0, time)) {
      w.session("session.yaml", yaml);
      byte[] hello = BenchStream.hello();
      w.frame(BenchStream.BOARD, hello, hello.length, 0);
      for (int f = 0; f < frames.length; f++) {
        if (f > 0 && f % 700 == 0) {
          time.advanceMillis(java.util.concurrent.TimeUnit.HOURS.toMillis(1)); // the next cycle file
        }
        if (f % 97 == 0) {
          w.logbook(t0 + f, org.nudaq.server.shift.LogKind.OPERATOR.ordinal(), "shift", "note at frame " + f);
          w.slowControl(t0 + f, "hv", 3000 + f, t0 + f, f * 5_000_000L);
        }
        w.frame(BenchStream.BOARD, frames[f], frames[f].length, 0);
      }
      w.finished();
    }
    JournalSession session = JournalSession.last(journal);
    NudaqConfig config = JournalReplay.sessionConfig(session);
    ReplayResult alone = new JournalReplay().replay(journal, session, config, Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max());
    assertThat(alone.snapshot().detectors().get(0).liveTimeBeforeGatesOffSeconds()).isGreaterThan(0);
    org.nudaq.server.shift.ShiftRecord read = org.nudaq.server.shift.ShiftReplay.read(journal, session, config.slowControl());
    String expected = spectraDigest(alone, dir.resolve("alone"));
    long end;
    try (org.nudaq.server.journal.JournalReader r = new org.nudaq.server.journal.JournalReader(journal)) {
      end = r.lastIndex() + 1;
      assertThat(r.range(session.startIndex(), end).firstIndex()).hasSizeGreaterThanOrEqualTo(4); // cycle files
    }
    SegmentedJournalReplay.Splitting staggered = new SegmentedJournalReplay.Splitting(1, 700, 256);
    for (int threads : new int[] {2, 3}) {
      // The session's end as the replay command gives it for the journal's last session: Long.MAX_VALUE, the journal's end.
      SegmentedJournalReplay.Outcome o = new SegmentedJournalReplay(staggered).replay(journal, session, Long.MAX_VALUE, config,
          Long.MIN_VALUE, Long.MAX_VALUE, threads, new CalibrationHistory());
      // A split for each thread without a segment (the first claim past record 700 waits for it), and perhaps more at
      // the end (a thread done early takes half of what another has left, if 256 records or more).
      assertThat(o.segments()).as("segments on %d cores", threads).isGreaterThanOrEqualTo(threads);
      assertSame(o.result(), alone);
      assertThat(spectraDigest(o.result(), dir.resolve("split-" + threads))).isEqualTo(expected);
      assertThat(o.shift().logbookJson(null)).isEqualTo(read.logbookJson(null));
      assertThat(o.shift().sensorsJson()).isEqualTo(read.sensorsJson());
    }
    // Never split (the geometry of SegmentedJournalReplay.cuts alone): as many segments as threads.
    assertThat(new SegmentedJournalReplay(SegmentedJournalReplay.Splitting.fixed()).replay(journal, session, end, config, Long.MIN_VALUE,
        Long.MAX_VALUE, 3, new CalibrationHistory()).segments()).isEqualTo(3);
  }

  @Test
  void aSlowSegmentSplitsOffWhatItHasLeftForTheThreadWhoseSegmentEndedBitIdentically(@TempDir Path dir) throws Exception {
    // Issue 19 (balance, Splitting.balanced's path with a smaller minimum): 2 segments from the cuts; segment 1 is made
    // slow (it waits at its second claim until segment 2 has ended and its thread waits for work), so it splits off the
    // second part of what it has left for that thread: at least 3 segments, whatever the machine's speed, joined into
    // the same bits, with the reactor going OFF in the part split off.
    Path journal = dir.resolve("journal");
    String yaml = Files.readString(Path.of(BenchStream.gemma1().source()));
    int frameCount = 3000;
    byte[][] frames = frames(BenchStream.Events.generate(frameCount * BenchStream.EVENTS_PER_FRAME, 53), frameCount,
        f -> f >= 800 && f < 1300 ? FrameDescriptor.REACTOR_OFF : FrameDescriptor.REACTOR_ON);
    try (JournalWriter w = new JournalWriter(journal, new ConfigLoader().parse("session.yaml", yaml).journal(), Clock.systemUTC())) {
      writeSession(w, yaml, frames);
    }
    JournalSession session = JournalSession.last(journal);
    NudaqConfig config = JournalReplay.sessionConfig(session);
    ReplayResult alone = new JournalReplay().replay(journal, session, config, Long.MIN_VALUE, Long.MAX_VALUE, JournalReplay.Pace.max());
    assertThat(alone.snapshot().detectors().get(0).liveTimeBeforeGatesOffSeconds()).isGreaterThan(0);
    SegmentedJournalReplay.Splitting balancedSmall = new SegmentedJournalReplay.Splitting(Integer.MAX_VALUE, 0, 256);
    assertThat(balancedSmall.threadsAtStart()).isEqualTo(SegmentedJournalReplay.Splitting.balanced().threadsAtStart());
    assertThat(balancedSmall.staggerRecords()).isEqualTo(SegmentedJournalReplay.Splitting.balanced().staggerRecords());
    SegmentedJournalReplay.Outcome o = new SegmentedJournalReplay(balancedSmall, SegmentedJournalReplay.Hold.UNTIL_A_THREAD_WAITS)
        .replay(journal, session, Long.MAX_VALUE, config, Long.MIN_VALUE, Long.MAX_VALUE, 2, new CalibrationHistory());
    assertThat(o.segments()).as("segment 1 split for the thread whose segment ended").isGreaterThanOrEqualTo(3);
    assertSame(o.result(), alone);
    assertThat(spectraDigest(o.result(), dir.resolve("slow"))).isEqualTo(spectraDigest(alone, dir.resolve("alone")));
  }

  static void assertSame(ReplayResult segmented, ReplayResult alone) {
    SnapshotAssert.assertBitIdentical(segmented.snapshot(), alone.snapshot());
    assertThat(segmented.accountingBalances()).isTrue();
    assertThat(segmented.events()).isEqualTo(alone.events());
    assertThat(segmented.frames()).isEqualTo(alone.frames());
    assertThat(segmented.decodeErrors()).isEqualTo(alone.decodeErrors());
    assertThat(segmented.snapshot().totals()).isEqualTo(alone.snapshot().totals());
    for (int d = 0; d < alone.snapshot().detectors().size(); d++) {
      PipelineSnapshot.DetectorSnapshot a = segmented.snapshot().detectors().get(d);
      PipelineSnapshot.DetectorSnapshot b = alone.snapshot().detectors().get(d);
      assertThat(Double.doubleToRawLongBits(a.powerWeightedLiveTimeBeforeGatesOnSeconds()))
          .isEqualTo(Double.doubleToRawLongBits(b.powerWeightedLiveTimeBeforeGatesOnSeconds()));
      assertThat(Double.doubleToRawLongBits(a.liveTimeUnknownSeconds())).isEqualTo(Double.doubleToRawLongBits(b.liveTimeUnknownSeconds()));
      assertThat(Double.doubleToRawLongBits(a.realTimeSeconds())).isEqualTo(Double.doubleToRawLongBits(b.realTimeSeconds()));
    }
  }

  /** The frame (0 = the first after HELLO) at record {@code record} of a session written as in the first test. */
  private static int frameAt(long record) {
    long r = record - 2; // SESSION, HELLO
    return (int) (r - r / (BenchStream.STATUS_EVERY_FRAMES + 1)); // a STATUS after every 50 frames
  }

  /** One session in {@code w}: the SESSION record of {@code yaml}, the bench board's HELLO, {@code frames}, CLOSED. */
  static void writeSession(JournalWriter w, String yaml, byte[][] frames) {
    w.session("session.yaml", yaml);
    byte[] hello = BenchStream.hello();
    w.frame(BenchStream.BOARD, hello, hello.length, 0);
    for (byte[] f : frames) {
      w.frame(BenchStream.BOARD, f, f.length, 0);
    }
    w.finished();
  }

  /** {@link BenchStream#frames} with the reactor state of each STATUS frame from {@code stateAfterFrame}. */
  static byte[][] frames(BenchStream.Events e, int frameCount, java.util.function.IntUnaryOperator stateAfterFrame) {
    List<byte[]> out = new ArrayList<>();
    int n = frameCount * BenchStream.EVENTS_PER_FRAME;
    long[] oldestUnsent = new long[n + 1];
    oldestUnsent[n] = e.spanTicks;
    for (int i = n - 1; i >= 0; i--) {
      oldestUnsent[i] = Math.min(e.ticks[i], oldestUnsent[i + 1]);
    }
    ByteBuffer buf = ByteBuffer.wrap(new byte[FrameDescriptor.EVENTS_FIXED_LENGTH + BenchStream.EVENTS_PER_FRAME * FrameDescriptor.EVENT_RECORD_LENGTH]);
    FrameWriter writer = new FrameWriter();
    long sequence = 1;
    long[] accepted = new long[2];
    for (int f = 0; f < frameCount; f++) {
      writer.beginEvents(buf, 0, BenchStream.BOARD, sequence++);
      for (int i = f * BenchStream.EVENTS_PER_FRAME; i < (f + 1) * BenchStream.EVENTS_PER_FRAME; i++) {
        writer.appendEvent(e.ticks[i], e.channel[i], e.adc[i], e.flags[i], 0);
        accepted[e.channel[i]]++;
      }
      out.add(copy(buf, writer.finishEvents()));
      if ((f + 1) % BenchStream.STATUS_EVERY_FRAMES == 0 || f == frameCount - 1) {
        long boardTicks = oldestUnsent[(f + 1) * BenchStream.EVENTS_PER_FRAME];
        BoardStatus status = new BoardStatus(boardTicks, boardTicks, stateAfterFrame.applyAsInt(f), List.of(
            new ChannelCounters(0, boardTicks, 0, accepted[0], 0), new ChannelCounters(1, boardTicks, 0, accepted[1], 0)));
        out.add(copy(buf, writer.writeStatus(buf, 0, BenchStream.BOARD, sequence++, status)));
      }
    }
    return out.toArray(new byte[0][]);
  }

  private static byte[] copy(ByteBuffer buf, int length) {
    byte[] b = new byte[length];
    buf.get(0, b);
    return b;
  }

  /** SHA-256 over the spectra files a replay writes (names and bytes, in name order): {@link SpectraDigest}. */
  static String spectraDigest(ReplayResult r, Path out) throws Exception {
    return SpectraDigest.of(r, out);
  }
}
