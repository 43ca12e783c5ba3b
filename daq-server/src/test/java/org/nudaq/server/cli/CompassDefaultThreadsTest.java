package org.nudaq.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CompassDefaultThreads}: the default cores of {@code replay --compass} follow the size of the run's list
 * files (sparse files of the given length: only their size is read), on either side of the threshold.
 */
class CompassDefaultThreadsTest {
  @TempDir
  Path dir;

  private void file(Path folder, String name, long bytes) throws IOException {
    Files.createDirectories(folder);
    try (RandomAccessFile f = new RandomAccessFile(folder.resolve(name).toFile(), "rw")) {
      f.setLength(bytes);
    }
  }

  @Test
  void aSmallRunStaysOnOneCore() throws IOException {
    long half = CompassDefaultThreads.MIN_BYTES_TO_CUT / 2;
    file(dir, "Data_CH0@V1725_0_run.BIN", half - 1);
    file(dir, "Data_CH1@V1725_0_run.BIN", half);
    file(dir, "settings.xml", 10 * CompassDefaultThreads.MIN_BYTES_TO_CUT); // not a list file: not counted
    assertThat(CompassDefaultThreads.of(dir, 2)).isEqualTo(1);
    assertThat(CompassDefaultThreads.of(dir, 8)).isEqualTo(1);
  }

  @Test
  void aRunOfAtLeastTheThresholdUsesEveryCore() throws IOException {
    long half = CompassDefaultThreads.MIN_BYTES_TO_CUT / 2;
    file(dir, "Data_CH0@V1725_0_run.BIN", half);
    file(dir, "Data_CH1@V1725_0_run.BIN", CompassDefaultThreads.MIN_BYTES_TO_CUT - half);
    assertThat(CompassDefaultThreads.of(dir, 2)).isEqualTo(2);
    assertThat(CompassDefaultThreads.of(dir, 8)).isEqualTo(8);
    assertThat(CompassDefaultThreads.of(dir, 1)).isEqualTo(1);
  }

  @Test
  void theFilesOfARunInItsRawFolderCount() throws IOException {
    file(dir.resolve("run_1").resolve("RAW"), "DataR_CH0@V1725_0_run_1.BIN", CompassDefaultThreads.MIN_BYTES_TO_CUT);
    assertThat(CompassDefaultThreads.of(dir, 2)).isEqualTo(2);
  }

  @Test
  void aFolderThatCannotBeListedIsLeftToTheImport() {
    assertThat(CompassDefaultThreads.of(dir.resolve("missing"), 2)).isEqualTo(2);
  }
}
