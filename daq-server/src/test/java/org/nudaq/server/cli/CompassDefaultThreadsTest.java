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
 * files (sparse files of the given length: only their size is read), on either side of the threshold; and one
 * core whatever the size when the load average says no core is idle.
 */
class CompassDefaultThreadsTest {
  /** A load average that leaves cores idle (the tests must not depend on this machine's). */
  private static final double QUIET = 0.2;

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
    assertThat(CompassDefaultThreads.of(dir, 2, QUIET)).isEqualTo(1);
    assertThat(CompassDefaultThreads.of(dir, 8, QUIET)).isEqualTo(1);
  }

  @Test
  void aRunOfAtLeastTheThresholdUsesEveryCore() throws IOException {
    long half = CompassDefaultThreads.MIN_BYTES_TO_CUT / 2;
    file(dir, "Data_CH0@V1725_0_run.BIN", half);
    file(dir, "Data_CH1@V1725_0_run.BIN", CompassDefaultThreads.MIN_BYTES_TO_CUT - half);
    assertThat(CompassDefaultThreads.of(dir, 2, QUIET)).isEqualTo(2);
    assertThat(CompassDefaultThreads.of(dir, 8, QUIET)).isEqualTo(8);
    assertThat(CompassDefaultThreads.of(dir, 1, QUIET)).isEqualTo(1);
  }

  @Test
  void theFilesOfARunInItsRawFolderCount() throws IOException {
    file(dir.resolve("run_1").resolve("RAW"), "DataR_CH0@V1725_0_run_1.BIN", CompassDefaultThreads.MIN_BYTES_TO_CUT);
    assertThat(CompassDefaultThreads.of(dir, 2, QUIET)).isEqualTo(2);
  }

  @Test
  void aFolderThatCannotBeListedIsLeftToTheImport() {
    assertThat(CompassDefaultThreads.of(dir.resolve("missing"), 2, QUIET)).isEqualTo(2);
  }

  @Test
  void noIdleCoreMeansOneCoreWhateverTheSize() throws IOException {
    file(dir, "Data_CH0@V1725_0_run.BIN", 10 * CompassDefaultThreads.MIN_BYTES_TO_CUT);
    assertThat(CompassDefaultThreads.of(dir, 2, 1.99)).isEqualTo(2);
    assertThat(CompassDefaultThreads.of(dir, 2, 2.0)).isEqualTo(1);
    assertThat(CompassDefaultThreads.of(dir, 2, 7.3)).isEqualTo(1);
    assertThat(CompassDefaultThreads.of(dir, 8, 7.3)).isEqualTo(8);
    assertThat(CompassDefaultThreads.of(dir, 2, Double.NaN)).as("no load average known: by size alone").isEqualTo(2);
  }

  @Test
  void theLoadAverageIsReadOnLinuxAndUnknownElsewhere() {
    double load = CompassDefaultThreads.loadAverage();
    if (Files.isReadable(Path.of("/proc/loadavg"))) {
      assertThat(load).isNotNaN().isGreaterThanOrEqualTo(0.0);
    } else {
      assertThat(load).isNaN();
    }
  }
}
