package org.nudaq.server.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.server.cli.ServerMain;
import org.nudaq.server.journal.JournalWriter;

/**
 * Bad input and failing output: a clear one-line message, a non-zero exit from the command, and no
 * output (nor a partial one) left behind — including a disk that fills up in the middle of an export
 * (a real small tmpfs; needs root and mount, skipped with a message otherwise).
 */
class ExportFailuresTest {
  private static final Path CONFIG = Path.of("../config/gemma-1.yaml");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  private static Path journalWithOneSession(Path dir) throws Exception {
    Path journal = dir.resolve("journal");
    try (JournalWriter w = new JournalWriter(journal, JournalConfig.defaults(), CLOCK)) {
      w.session(CONFIG.toString(), Files.readString(CONFIG));
      w.finished();
    }
    return journal;
  }

  private static void assertNothingLeftIn(Path parent) throws Exception {
    try (Stream<Path> s = Files.list(parent)) {
      assertThat(s.map(p -> p.getFileName().toString())).as("no output or partial output left in " + parent)
          .noneMatch(n -> n.startsWith("out") || n.contains(".partial-"));
    }
  }

  @Test
  void aRangeWithoutSessionIsRefusedWithOneLineAndExitStatus1(@TempDir Path dir) throws Exception {
    Path journal = journalWithOneSession(dir);
    Path out = dir.resolve("out");
    assertThatThrownBy(() -> new Exporter(ExportFormat.PARQUET, true, null).export(new Exporter.JournalInput(journal, -1,
        Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2020-01-02T00:00:00Z")), null, out))
        .isInstanceOf(ExportException.class)
        .hasMessage("no journal session in [2020-01-01T00:00:00Z, 2020-01-02T00:00:00Z): the journal dir=" + journal
            + " spans 2026-03-01T12:00:00Z to 2026-03-01T12:00:00Z");
    assertNothingLeftIn(dir);

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = ServerMain.commandLine().execute("export", "--journal", journal.toString(), "--format", "lh5", "--out",
          out.toString(), "--from", "2020-01-01T00:00:00Z", "--to", "2020-01-02T00:00:00Z");
    } finally {
      System.setErr(old);
    }
    assertThat(exit).isEqualTo(1);
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("nudaq export: no journal session in [2020-01-01T00:00:00Z").doesNotContain("Exception");
    assertThat(text.strip().lines()).hasSize(1);
    assertNothingLeftIn(dir);
  }

  @Test
  void aSessionNumberOutsideTheJournalIsRefused(@TempDir Path dir) throws Exception {
    Path journal = journalWithOneSession(dir);
    assertThatThrownBy(() -> new Exporter(ExportFormat.LH5, true, null).export(new Exporter.JournalInput(journal, 2, null, null),
        null, dir.resolve("out"))).isInstanceOf(ExportException.class).hasMessageContaining("--session must be 1..1");
    assertNothingLeftIn(dir);
  }

  @Test
  void anExistingOutputIsNeverOverwritten(@TempDir Path dir) throws Exception {
    Path journal = journalWithOneSession(dir);
    Path out = Files.createDirectory(dir.resolve("exists"));
    Files.writeString(out.resolve("keep.txt"), "mine");
    assertThatThrownBy(() -> new Exporter(ExportFormat.LH5, true, null).export(new Exporter.JournalInput(journal, -1, null, null),
        null, out)).isInstanceOf(ExportException.class).hasMessageContaining("exists");
    assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("mine");
  }

  @Test
  void anUnwritableOutputIsReported(@TempDir Path dir) throws Exception {
    Path journal = journalWithOneSession(dir);
    // /proc refuses new directories even to root (permission bits would not stop root).
    Path out = Path.of("/proc/nudaq-export-test");
    assertThatThrownBy(() -> new Exporter(ExportFormat.PARQUET, true, null).export(new Exporter.JournalInput(journal, -1, null, null),
        null, out)).isInstanceOf(ExportException.class).hasMessageStartingWith("cannot write the output out=" + out);
    assertThat(out).doesNotExist();
  }

  /** CoMPASS CSV files of one HPGe and one NaI channel, {@code n} records each. */
  static void compassFolder(Path dir, int n, long seed) throws Exception {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(seed);
    for (int ch = 0; ch < 2; ch++) {
      StringBuilder sb = new StringBuilder("BOARD;CHANNEL;TIMETAG;ENERGY;ENERGYSHORT;FLAGS\n");
      long ps = 0;
      for (int i = 0; i < n; i++) {
        ps += 4000L * (1 + random.nextInt(5000)); // whole 4 ns ticks
        int adc = ch == 0 ? 400 + random.nextInt(20000) : 100 + random.nextInt(3000);
        int flags = random.nextInt(100) == 0 ? 0x8000 : 0;
        sb.append("0;").append(ch).append(';').append(ps).append(';').append(adc).append(";0;0x")
            .append(Integer.toHexString(flags)).append('\n');
      }
      Files.writeString(dir.resolve("Data_CH" + ch + ".CSV"), sb);
    }
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void aDiskThatFillsDuringTheExportLeavesNothingAndSaysSo(ExportFormat format, @TempDir Path dir) throws Exception {
    Path input = dir.resolve("compass");
    compassFolder(input, 100_000, 7);
    Path volume = Files.createDirectory(dir.resolve("small"));
    boolean mounted = command("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", volume.toString());
    assumeTrue(mounted, "ASSUMPTION: mounting a 512 KiB tmpfs needs root and mount permission; not available here, so "
        + "the full-disk export is not run");
    try {
      Path out = volume.resolve("out");
      // Small parts: the disk fills after the first files are complete, in the middle of the export.
      assertThatThrownBy(() -> new Exporter(format, true, null, 20_000).export(new Exporter.CompassInput(input), CONFIG, out))
          .isInstanceOf(ExportException.class)
          .hasMessageStartingWith("export to out=" + out + " failed, nothing written: ")
          .hasMessageContaining("space");
      assertNothingLeftIn(volume);
      try (Stream<Path> s = Files.list(volume)) {
        assertThat(s).as("the small volume is empty again").isEmpty();
      }
    } finally {
      command("umount", "-l", volume.toString());
    }
  }

  private static boolean command(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
