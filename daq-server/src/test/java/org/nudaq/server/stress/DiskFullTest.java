package org.nudaq.server.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.link.LinkStats;
import org.nudaq.server.metrics.JournalMetrics;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.replay.JournalReplay;
import org.nudaq.server.replay.ReplayResult;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.sim.server.Pacing;

/**
 * Disk full on the journal volume, with the real simulator and the real daemon over TCP: the daemon
 * stops journaling and taking frames (the frame queue fills, the link stops reading, the alarm gauge
 * reads 1), resumes when space returns, and in the end its results equal a replay of the journal and
 * the simulator's ground truth accounts for every event. Once with a real, small tmpfs as the journal
 * volume (needs root and mount; skipped with a message otherwise) and once with the free-space probe
 * seam (always runs).
 */
class DiskFullTest {
  private static final double NAI_HZ = 50;
  /** Detector seconds per wall second: ~100,000 events and ~10 MB of journal per wall second. */
  private static final Pacing PACING = new Pacing(2000);
  /** Eight wall seconds of data: the disk fills well before the boards finish, even on a busy machine. */
  private static final double DAYS = 8.0 * 2000 / 86_400;
  private static final long MIB = 1L << 20;

  @Test
  void seamDiskBelowTheFloorStopsTheDaemonAndItResumesWhenSpaceReturnsLosingNothing(@TempDir Path dir) throws Exception {
    AtomicLong free = new AtomicLong(1L << 40);
    SimulatorToDaemon run = SimulatorToDaemon.start(SimulatorToDaemon.gemma1(NAI_HZ, 53), PACING, DAYS, "", dir,
        journalDir -> free.get());
    try {
      JournalWriter journal = run.daemon().journal();
      await(() -> journal.frames() > 2_000, "2,000 frames journaled");
      free.set(journal.floorBytes() - 1);
      checkStoppedThenResume(run, () -> free.set(1L << 40));
      checkResultsEqualReplayAndTruth(run, dir);
    } finally {
      run.close();
    }
  }

  @Test
  void realTmpfsJournalVolumeFilledByAnotherFileStopsTheDaemonAndItResumesWhenTheFileIsDeleted(@TempDir Path dir)
      throws Exception {
    Path journalDir = dir.resolve("journal"); // the daemon's journal.directory default, under the data directory
    Files.createDirectories(journalDir);
    boolean mounted = command("mount", "-t", "tmpfs", "-o", "size=160m", "tmpfs", journalDir.toString());
    assumeTrue(mounted, "ASSUMPTION: mounting a 160 MiB tmpfs needs root and mount permission; not available here, so "
        + "only the free-space seam variant ran");
    Path filler = dir.resolve("filler");
    try {
      // The filler lives on the journal volume but outside the journal directory's files.
      filler = journalDir.resolve("operator-copied-this-file.bin");
      SimulatorToDaemon run = SimulatorToDaemon.start(SimulatorToDaemon.gemma1(NAI_HZ, 59), PACING, DAYS, "", dir);
      try {
        JournalWriter journal = run.daemon().journal();
        assertThat(journal.floorBytes()).as("floor: one Chronicle block (64 MiB) plus its overlap (16 MiB)")
            .isEqualTo(64 * MIB + 16 * MIB);
        await(() -> journal.frames() > 2_000, "2,000 frames journaled");
        // Another file takes the space down to 256 KiB above the floor; the journal takes the rest
        // (free space is probed every JournalWriter.PROBE_EVERY_BYTES = 1 MiB appended).
        long fill = journalDir.toFile().getUsableSpace() - journal.floorBytes() - MIB / 4;
        writeFiller(filler, fill);
        System.out.printf("disk full (tmpfs): filler %d bytes written at %d journal frames, %d bytes free, floor %d%n", fill,
            journal.frames(), journalDir.toFile().getUsableSpace(), journal.floorBytes());
        Path f = filler;
        checkStoppedThenResume(run, () -> {
          try {
            Files.delete(f);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
        assertThat(journalDir.toFile().getUsableSpace()).isGreaterThan(journal.floorBytes());
        checkResultsEqualReplayAndTruth(run, dir);
      } finally {
        run.close();
      }
    } finally {
      command("umount", "-l", journalDir.toString());
    }
  }

  /** Waits for the stop, checks the daemon stopped accepting, then frees space and waits for the resume. */
  private static void checkStoppedThenResume(SimulatorToDaemon run, Runnable freeSpace) throws Exception {
    Daemon daemon = run.daemon();
    JournalWriter journal = daemon.journal();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    JournalMetrics metrics = new JournalMetrics(journal, Clock.systemUTC(), Tags.empty());
    metrics.bindTo(registry);
    LinkStats link = daemon.links().get(0);
    long pausesBefore = link.backpressurePauses();

    await(() -> daemon.ingest().recorderRefusing(), "the pipeline thread sees the journal refusing");
    long records = journal.records();
    long processed = daemon.ingest().framesProcessed();
    long refusals = daemon.queue().refusals();
    // The queue fills and the link is told to stop reading (TCP holds the board back).
    await(() -> daemon.queue().refusals() > refusals && link.backpressurePauses() > pausesBefore,
        "the frame queue full and the link paused");
    assertThat(journal.diskFull()).isTrue();
    assertThat(registry.get("nudaq.journal.disk.full").gauge().value()).isEqualTo(1.0);
    assertThat(registry.get("nudaq.journal.disk.full.episodes").functionCounter().count()).isEqualTo(1.0);
    assertThat(journal.records()).as("no record journaled while the disk is full").isEqualTo(records);
    assertThat(daemon.ingest().framesProcessed()).as("no frame processed while the disk is full").isEqualTo(processed);
    assertThat(daemon.queue().size()).as("frames waiting in the queue").isPositive();

    freeSpace.run();
    await(() -> journal.records() > records && !journal.diskFull(), "journaling resumes");
    assertThat(registry.get("nudaq.journal.disk.full").gauge().value()).isEqualTo(0.0);
    assertThat(daemon.ingest().framesProcessed()).isGreaterThan(processed);
    System.out.printf("disk full: stopped at %d records with %d frames queued; link paused %d times%n", records,
        daemon.queue().size(), link.backpressurePauses());
  }

  private static void checkResultsEqualReplayAndTruth(SimulatorToDaemon run, Path dataDir) throws Exception {
    JsonNode summary = run.finish(120);
    Daemon daemon = run.daemon();
    PipelineSnapshot online = daemon.snapshot();
    Path journalDir = Daemon.journalDir(daemon.config(), dataDir);
    List<JournalSession> sessions = JournalSession.all(journalDir);
    assertThat(sessions).hasSize(1);
    assertThat(sessions.get(0).closed()).isTrue();
    ReplayResult replay = new JournalReplay().replay(journalDir, sessions.get(0), daemon.config(), Long.MIN_VALUE,
        Long.MAX_VALUE, JournalReplay.Pace.max());
    assertThat(daemon.ingest().framesAbandoned()).isZero();

    // The daemon's results equal the replay of its journal: nothing was processed without being journaled.
    PipelineSnapshot r = replay.snapshot();
    assertThat(replay.events()).isEqualTo(online.totals().received());
    assertThat(r.totals().received()).isEqualTo(online.totals().received());
    assertThat(r.totals().vetoed()).isEqualTo(online.totals().vetoed());
    for (int d = 0; d < online.detectors().size(); d++) {
      PipelineSnapshot.DetectorSnapshot od = online.detectors().get(d);
      PipelineSnapshot.DetectorSnapshot rd = r.detectors().get(d);
      assertThat(rd.liveTimeOnSeconds()).isEqualTo(od.liveTimeOnSeconds());
      assertThat(rd.liveTimeOffSeconds()).isEqualTo(od.liveTimeOffSeconds());
      for (int s = 0; s < od.spectra().size(); s++) {
        SpectrumSnapshot os = od.spectra().get(s);
        assertThat(rd.spectra().get(s).counts()).as(os.labels().name()).containsExactly(os.counts());
      }
    }

    // Ground truth: every event the board sent was received (TCP back-pressure loses no frame); the
    // triggers the board lost while its buffer was full are exactly those it reported.
    JsonNode channels = run.truth().get("boards").get(0).get("channels");
    JsonNode acc = summary.get("accounting");
    long sent = 0;
    long lostTriggers = 0;
    for (int i = 0; i < channels.size(); i++) {
      JsonNode t = channels.get(i);
      assertThat(t.get("unsentEvents").asLong()).isZero();
      assertThat(acc.get("channels").get(i).get("received").asLong()).as("channel %d received", i)
          .isEqualTo(t.get("sentEvents").asLong());
      assertThat(acc.get("channels").get(i).get("lostTriggersReported").asLong()).as("channel %d lost triggers", i)
          .isEqualTo(t.get("lostTriggers").asLong());
      sent += t.get("sentEvents").asLong();
      lostTriggers += t.get("lostTriggers").asLong();
    }
    assertThat(acc.get("received").asLong()).isEqualTo(sent);
    assertThat(acc.get("lostFrames").asLong()).isZero();
    assertThat(acc.get("balances").asBoolean()).isTrue();
    System.out.printf("disk full: %d events sent and received, %d triggers lost in the board's full buffer%n", sent,
        lostTriggers);
  }

  private static void writeFiller(Path file, long bytes) throws IOException {
    byte[] chunk = new byte[(int) MIB];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
  }

  /** Runs a command; true if it exited 0 within 30 s (mount and umount of test volumes). */
  static boolean command(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
