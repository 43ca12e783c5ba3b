package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.threads.Pauser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.server.metrics.JournalMetrics;

class JournalWriterTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void everyRecordTypeIsReadBackInOrderWithItsFields(@TempDir Path dir) {
    byte[] frame = {1, 2, 3, 4, 5, 6, 7};
    try (JournalWriter w = new JournalWriter(dir, JournalConfig.defaults(), clock)) {
      w.session("gemma-1.yaml", "experiment: GEMMA-I\n");
      w.linkState(2, true);
      w.frame(2, frame, 5, 3);
      w.idle(123_456_789L);
      w.reactorState(org.nudaq.server.pipeline.ReactorState.ON, 1.0, 42_000L);
      w.reactorState(org.nudaq.server.pipeline.ReactorState.ON, 0.93, 43_000L);
      w.reactorState(org.nudaq.server.pipeline.ReactorState.UNKNOWN, 0.0, 44_000L);
      w.legacyRun(true, 7);
      w.finished();
      assertThat(w.records()).isEqualTo(9);
      assertThat(w.frames()).isEqualTo(1);
      // 9-byte record head + board 4 + lost 8 + length 4 + 5 frame bytes = 30 bytes for the frame; a state at
      // its default power is a REACTOR record (9 + 9 bytes, as before), others REACTOR_POWER (9 + 17)
      // CLOSED: the head and the count of links at the stop (none here)
      assertThat(w.bytesAppended())
          .isEqualTo((9 + 8 + 12 + 20) + (9 + 5) + 30 + (9 + 8) + (9 + 9) + 2 * (9 + 17) + (9 + 9) + (9 + 4));
    }
    List<String> seen = new ArrayList<>();
    try (JournalReader r = new JournalReader(dir)) {
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onSession(long i, long ms, String src, String yaml) {
          seen.add("session " + src + " " + yaml.trim() + " " + ms);
        }

        @Override
        public void onLink(long i, long ms, int board, boolean up) {
          seen.add("link " + board + " " + up);
        }

        @Override
        public void onFrame(long i, long ms, int board, byte[] data, int length, long lost) {
          seen.add("frame " + board + " " + lost + " " + java.util.Arrays.toString(java.util.Arrays.copyOf(data, length)));
        }

        @Override
        public void onIdle(long i, long ms, long nanos) {
          seen.add("idle " + nanos);
        }

        @Override
        public void onReactorState(long i, long ms, org.nudaq.server.pipeline.ReactorState state, double power, long t) {
          seen.add("reactor " + state + " " + power + " " + t);
        }

        @Override
        public void onRun(long i, long ms, boolean running, long n) {
          seen.add("run " + running + " " + n);
        }

        @Override
        public void onClosed(long i, long ms) {
          seen.add("closed");
        }
      };
      while (r.next(v)) {
        // all
      }
    }
    assertThat(seen).containsExactly("session gemma-1.yaml experiment: GEMMA-I " + clock.millis(), "link 2 true",
        "frame 2 3 [1, 2, 3, 4, 5]", "idle 123456789", "reactor ON 1.0 42000",
        "reactor ON 0.93 43000", "reactor UNKNOWN 0.0 44000", "run true 7", "closed");
    JournalSession s = JournalSession.last(dir);
    assertThat(s.closed()).isTrue();
    assertThat(s.configYaml()).isEqualTo("experiment: GEMMA-I\n");
  }

  @Test
  void anUnclosedSessionIsTheLastOneAndNotClosed(@TempDir Path dir) {
    try (JournalWriter w = new JournalWriter(dir, JournalConfig.defaults(), clock)) {
      w.session("a.yaml", "a");
      w.finished();
      w.session("b.yaml", "b");
      w.frame(0, new byte[] {9}, 1, 0);
    }
    assertThat(JournalSession.all(dir)).extracting(JournalSession::configSource, JournalSession::closed)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a.yaml", true), org.assertj.core.groups.Tuple.tuple("b.yaml", false));
    assertThat(JournalSession.last(dir).configSource()).isEqualTo("b.yaml");
    assertThat(JournalSession.last(dir).closed()).isFalse();
  }

  /**
   * The CLOSED record carries each board link's last sequence number at the stop (the frames it passed on or
   * counted lost), which the next start reads from the journal's tail; a CLOSED record of an earlier version
   * (no body) still reads as closed, with none.
   */
  @Test
  void theClosedRecordCarriesTheLinksNumberingAtTheStopAndAnOldEmptyOneReadsWithNone(@TempDir Path dir) {
    Path now = dir.resolve("now");
    try (JournalWriter w = new JournalWriter(now, JournalConfig.defaults(), clock)) {
      w.session("a.yaml", "a");
      w.frame(0, new byte[] {9}, 1, 0);
      w.linksAtStop(java.util.Map.of(2, -2L, 0, 41L)); // -2: u64 2^64 − 2
      w.finished();
    }
    JournalSession.Tail tail = JournalSession.tail(now);
    assertThat(tail.session().closed()).isTrue();
    assertThat(tail.linksAtStop()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(0, 41L, 2, -2L));

    Path old = dir.resolve("old");
    try (JournalWriter w = new JournalWriter(old, JournalConfig.defaults(), clock)) {
      w.session("a.yaml", "a");
    }
    try (SingleChronicleQueue q = SingleChronicleQueueBuilder.single(old.toFile()).build();
        net.openhft.chronicle.queue.ExcerptAppender app = q.createAppender();
        net.openhft.chronicle.wire.DocumentContext dc = app.writingDocument()) {
      dc.wire().bytes().writeUnsignedByte(org.nudaq.monitor.journal.JournalRecordLayout.TYPE_CLOSED).writeLong(clock.millis());
    }
    JournalSession.Tail oldTail = JournalSession.tail(old);
    assertThat(oldTail.session().closed()).isTrue();
    assertThat(oldTail.linksAtStop()).isEmpty();
  }

  /**
   * A writer that died with an append open (its append and the rollback faulted on a full volume, or
   * it was killed mid-append) leaves the queue's write lock held by its process id. When the restarted
   * daemon has that id (PID 1 in a container), Chronicle takes the holder for alive: every append
   * waited 15 s and failed. The writer's claim on the directory frees such a lock when it opens.
   */
  @Test
  void aWriteLockLeftByADeadWriterOfTheSameProcessIdIsFreedWhenTheWriterOpens(@TempDir Path dir) {
    try (JournalWriter w = new JournalWriter(dir, JournalConfig.defaults(), clock)) {
      w.session("a.yaml", "a");
      w.frame(0, new byte[] {1}, 1, 0);
    }
    try (SingleChronicleQueue q = SingleChronicleQueueBuilder.single(dir.toFile()).build();
        TableStoreWriteLock lock = new TableStoreWriteLock(q.metaStore(), Pauser::balanced, 0L)) {
      lock.lock(); // held by this process id, and never unlocked
      assertThat(lock.lockedBy()).isEqualTo(ProcessHandle.current().pid());
    }
    long t0 = System.nanoTime();
    try (JournalWriter w = new JournalWriter(dir, JournalConfig.defaults(), clock)) {
      w.frame(0, new byte[] {2}, 1, 0);
      w.finished();
    }
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to open and append").isLessThan(5_000);
    List<String> seen = new ArrayList<>();
    try (JournalReader r = new JournalReader(dir)) {
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onFrame(long i, long ms, int board, byte[] data, int length, long lost) {
          seen.add("frame " + data[0]);
        }

        @Override
        public void onClosed(long i, long ms) {
          seen.add("closed");
        }
      };
      while (r.next(v)) {
        // all
      }
    }
    assertThat(seen).containsExactly("frame 1", "frame 2", "closed");
  }

  @Test
  void retentionKeepsTheCurrentCycleAndTheConfiguredNumberOfClosedOnes(@TempDir Path dir) throws Exception {
    JournalConfig keep2 = new JournalConfig(true, "j", JournalConfig.RollCycle.FAST_DAILY, 2, 0);
    try (JournalWriter w = new JournalWriter(dir, keep2, clock)) {
      // Older cycle files (names sort by date, as Chronicle's do) next to the current one.
      for (String day : List.of("20260225", "20260226", "20260227", "20260228")) {
        Files.write(dir.resolve(day + ".cq4"), new byte[16]);
      }
      w.session("s", "");
      Path current = w.cycleFiles().get(w.cycleFiles().size() - 1);
      w.housekeeping();
      assertThat(w.cycleFiles()).extracting(p -> p.getFileName().toString())
          .containsExactly("20260227.cq4", "20260228.cq4", current.getFileName().toString());
      assertThat(w.deletedCycleFiles()).isEqualTo(2);
    }
  }

  @Test
  void metersReadTheWriterAndTheAlarmFiresBelowTheThreshold(@TempDir Path dir) {
    // An alarm threshold above any real disk: 2^20 GiB = 1 PiB.
    JournalConfig alarmed = new JournalConfig(true, "j", JournalConfig.RollCycle.FAST_DAILY, 0, 1 << 20);
    try (JournalWriter w = new JournalWriter(dir, alarmed, clock)) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      new JournalMetrics(w, clock, List.of()).bindTo(registry);
      w.frame(0, new byte[100], 100, 0);
      w.frame(0, new byte[100], 100, 0);
      w.idle(1);
      assertThat(registry.get("nudaq.journal.frames").functionCounter().count()).isEqualTo(2);
      assertThat(registry.get("nudaq.journal.appends").functionCounter().count()).isEqualTo(3);
      assertThat(registry.get("nudaq.journal.appended").functionCounter().count()).isEqualTo(2 * (25 + 100) + 17);
      assertThat(registry.get("nudaq.journal.disk.alarm").gauge().value()).isEqualTo(1);
      assertThat(registry.get("nudaq.journal.last.append.age").gauge().value()).isEqualTo(0);
      assertThat(registry.get("nudaq.journal.size").gauge().value()).isGreaterThan(200);
    }
  }
}
