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
 * files (sparse files of the given length: only their size is read), on either side of the threshold; one core
 * whatever the size when the host's load average says no CPU is idle — compared with the host's CPUs, not with
 * the fewer a container gives the process; and the one line that says why when fewer than every core is chosen.
 */
class CompassDefaultThreadsTest {
  /** A load average that leaves cores idle (the tests must not depend on this machine's). */
  private static final double QUIET = 0.2;
  /** The host's online CPUs unknown: taken as the process's cores. */
  private static final int HOST_UNKNOWN = 0;

  @TempDir
  Path dir;

  private void file(Path folder, String name, long bytes) throws IOException {
    Files.createDirectories(folder);
    try (RandomAccessFile f = new RandomAccessFile(folder.resolve(name).toFile(), "rw")) {
      f.setLength(bytes);
    }
  }

  private int cores(int cores, double load, int hostCpus) {
    return CompassDefaultThreads.of(dir, cores, load, hostCpus).cores();
  }

  @Test
  void aSmallRunStaysOnOneCoreWithoutAWord() throws IOException {
    long half = CompassDefaultThreads.MIN_BYTES_TO_CUT / 2;
    file(dir, "Data_CH0@V1725_0_run.BIN", half - 1);
    file(dir, "Data_CH1@V1725_0_run.BIN", half);
    file(dir, "settings.xml", 10 * CompassDefaultThreads.MIN_BYTES_TO_CUT); // not a list file: not counted
    assertThat(CompassDefaultThreads.of(dir, 2, QUIET, HOST_UNKNOWN)).isEqualTo(new CompassDefaultThreads.Choice(1, null));
    assertThat(CompassDefaultThreads.of(dir, 8, QUIET, 8)).isEqualTo(new CompassDefaultThreads.Choice(1, null));
    assertThat(CompassDefaultThreads.of(dir, 2, 7.3, 2)).as("loaded too: the size alone keeps it on one core, nothing to say")
        .isEqualTo(new CompassDefaultThreads.Choice(1, null));
  }

  @Test
  void aRunOfAtLeastTheThresholdUsesEveryCoreAndSaysNothing() throws IOException {
    long half = CompassDefaultThreads.MIN_BYTES_TO_CUT / 2;
    file(dir, "Data_CH0@V1725_0_run.BIN", half);
    file(dir, "Data_CH1@V1725_0_run.BIN", CompassDefaultThreads.MIN_BYTES_TO_CUT - half);
    assertThat(CompassDefaultThreads.of(dir, 2, QUIET, HOST_UNKNOWN)).isEqualTo(new CompassDefaultThreads.Choice(2, null));
    assertThat(CompassDefaultThreads.of(dir, 8, QUIET, 8)).isEqualTo(new CompassDefaultThreads.Choice(8, null));
    assertThat(CompassDefaultThreads.of(dir, 1, QUIET, 2)).as("one core is every core it may use: nothing to say")
        .isEqualTo(new CompassDefaultThreads.Choice(1, null));
  }

  @Test
  void theFilesOfARunInItsRawFolderCount() throws IOException {
    file(dir.resolve("run_1").resolve("RAW"), "DataR_CH0@V1725_0_run_1.BIN", CompassDefaultThreads.MIN_BYTES_TO_CUT);
    assertThat(cores(2, QUIET, HOST_UNKNOWN)).isEqualTo(2);
  }

  @Test
  void aFolderThatCannotBeListedIsLeftToTheImport() {
    assertThat(CompassDefaultThreads.of(dir.resolve("missing"), 2, QUIET, HOST_UNKNOWN))
        .isEqualTo(new CompassDefaultThreads.Choice(2, null));
  }

  @Test
  void noIdleCpuOnTheHostMeansOneCoreWhateverTheSizeAndSaysSo() throws IOException {
    file(dir, "Data_CH0@V1725_0_run.BIN", 10 * CompassDefaultThreads.MIN_BYTES_TO_CUT);
    assertThat(cores(2, 1.99, 2)).isEqualTo(2);
    assertThat(CompassDefaultThreads.of(dir, 2, 2.0, 2)).isEqualTo(new CompassDefaultThreads.Choice(1,
        "replay on 1 core of 2: load average 2.00 >= 2 cores; --threads 2 uses every core"));
    assertThat(CompassDefaultThreads.of(dir, 2, 7.3, HOST_UNKNOWN).reason())
        .isEqualTo("replay on 1 core of 2: load average 7.30 >= 2 cores; --threads 2 uses every core");
    assertThat(cores(8, 7.3, 8)).isEqualTo(8);
    assertThat(cores(2, Double.NaN, 2)).as("no load average known: by size alone").isEqualTo(2);
  }

  @Test
  void inAContainerOfFewerCpusThanTheHostTheLoadIsWeighedAgainstTheHostsCpus() throws IOException {
    file(dir, "Data_CH0@V1725_0_run.BIN", 10 * CompassDefaultThreads.MIN_BYTES_TO_CUT);
    // 2 CPUs of a 16-CPU host at load 5: 11 CPUs idle, the cut pays (it was one core: 5 >= 2).
    assertThat(CompassDefaultThreads.of(dir, 2, 5.0, 16)).isEqualTo(new CompassDefaultThreads.Choice(2, null));
    assertThat(CompassDefaultThreads.of(dir, 2, 16.4, 16)).isEqualTo(new CompassDefaultThreads.Choice(1,
        "replay on 1 core of 2: load average 16.40 >= the host's 16 CPUs; --threads 2 uses every core"));
    assertThat(cores(4, 3.0, 2)).as("a host count below the process's cores (not read right) is not believed").isEqualTo(4);
  }

  @Test
  void theHostsCpusAreCountedFromLinuxsList() {
    assertThat(CompassDefaultThreads.cpuCount("0-1\n")).isEqualTo(2);
    assertThat(CompassDefaultThreads.cpuCount("0")).isEqualTo(1);
    assertThat(CompassDefaultThreads.cpuCount("0-3,6,8-9")).isEqualTo(7);
    if (Files.isReadable(Path.of("/sys/devices/system/cpu/online"))) {
      assertThat(CompassDefaultThreads.onlineCpus()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    } else {
      assertThat(CompassDefaultThreads.onlineCpus()).isZero();
    }
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
