package org.nudaq.server.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.checkpoint.CheckpointFormat;

/**
 * Checkpoints were called state snapshots and written to {@code <data>/snapshots} before issue 15: a data
 * directory of that time must still be recovered from, and only when the default folder has none.
 */
class LegacyCheckpointFolderTest {
  private final NudaqConfig config = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));

  private static void checkpointIn(Path dir, long index) throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve(CheckpointFormat.fileName(index)), new byte[] {1});
  }

  @Test
  void anOldDataDirectorysCheckpointsAreFoundWhenTheDefaultFolderHasNone(@TempDir Path data) throws Exception {
    checkpointIn(data.resolve("snapshots"), 7);
    Files.createDirectories(data.resolve("snapshots").resolve("20260101T000000.000Z")); // spectra saved there then
    assertThat(Daemon.recoveryCheckpoints(config, data).directory()).isEqualTo(data.resolve("snapshots"));
    assertThat(Daemon.recoveryCheckpoints(config, data).list()).containsExactly(data.resolve("snapshots")
        .resolve(CheckpointFormat.fileName(7)));
  }

  @Test
  void theDefaultFolderWinsOnceItHoldsCheckpoints(@TempDir Path data) throws Exception {
    checkpointIn(data.resolve("snapshots"), 7);
    checkpointIn(data.resolve("checkpoints"), 9);
    assertThat(Daemon.recoveryCheckpoints(config, data).directory()).isEqualTo(data.resolve("checkpoints"));
  }

  @Test
  void nothingAnywhereMeansTheDefaultFolder(@TempDir Path data) {
    assertThat(Daemon.recoveryCheckpoints(config, data).directory()).isEqualTo(data.resolve("checkpoints"));
  }

  @Test
  void aConfiguredFolderIsNeverSwappedForTheOldDefault(@TempDir Path data) throws Exception {
    checkpointIn(data.resolve("snapshots"), 7);
    NudaqConfig own = config.withJournal(config.journal().withCheckpoints(300, 3, "state"));
    assertThat(Daemon.recoveryCheckpoints(own, data).directory()).isEqualTo(data.resolve("state"));
  }
}
