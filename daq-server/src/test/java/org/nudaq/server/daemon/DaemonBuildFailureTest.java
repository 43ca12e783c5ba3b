package org.nudaq.server.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * A daemon whose construction fails after it opened the journal releases the journal's writer lock and
 * its threads: the next daemon on the same data directory starts (before, it was refused as "another
 * daemon writes this journal" until the JVM exited).
 */
class DaemonBuildFailureTest {
  private final NudaqConfig config = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));

  @Test
  @org.junit.jupiter.api.Timeout(30) // closing a daemon that was never started must not wait for a pipeline thread
  void aFailedConstructionLeavesNeitherTheJournalLockNorAThread(@TempDir Path data) {
    // checkpointsKept = 0 passes the record (the loader is what rejects it) and fails in Checkpoints,
    // after the journal and the event loop exist.
    NudaqConfig broken = config.withJournal(config.journal().withCheckpoints(300, 0, "checkpoints"));
    long threadsBefore = nudaqThreads();
    assertThatThrownBy(() -> new Daemon(broken, data, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kept");

    Daemon next = new Daemon(config, data, Clock.systemUTC());
    try {
      assertThat(next.journal()).isNotNull();
    } finally {
      next.close();
    }
    assertThat(nudaqThreads()).as("checkpoint-writer threads left behind").isLessThanOrEqualTo(threadsBefore);
  }

  private static long nudaqThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("nudaq-checkpoint"))
        .count();
  }
}
