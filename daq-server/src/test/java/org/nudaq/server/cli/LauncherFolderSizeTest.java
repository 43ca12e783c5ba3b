package org.nudaq.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher picks a replay's JIT by the size of its input folder ({@code one_shot_flags} in {@code ./nudaq}, issue 19):
 * a CoMPASS folder of 500 MB or more runs full tiered without on-stack replacement, a smaller one C1 alone; a journal
 * of 500 MB or more on disk runs without on-stack replacement. Two ways the size was measured wrong (session 11's
 * review): a folder named through a symbolic link measured as the link itself (24 bytes: a large CoMPASS run then ran
 * C1 alone), and a journal measured by its files' lengths (Chronicle creates each cycle file at its full chunk length
 * and fills it later: a week of nearly empty daily files looked like 560 MB). Each case here runs the real launcher on
 * a sparse file (its length 600 MB, next to nothing on disk) and reads the flags the JVM was given
 * ({@code -XX:+PrintCommandLineFlags}); the replay itself then fails on the folder (no list file, no journal), which is
 * fine: only the flags are checked.
 */
class LauncherFolderSizeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final long SPARSE_BYTES = 600_000_000L;

  @TempDir
  static Path dir;
  private static Path large;

  @BeforeAll
  static void sparseFolder() throws Exception {
    large = Files.createDirectories(dir.resolve("large"));
    try (RandomAccessFile f = new RandomAccessFile(large.resolve("padding.bin").toFile(), "rw")) {
      f.setLength(SPARSE_BYTES); // a hole: its length, not its blocks
    }
  }

  @Test
  void aCoMPASSFolderOf500MBOrMoreRunsFullTieredWithoutOnStackReplacementAlsoThroughASymbolicLink() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("link-to-large"), large);
    for (Path folder : List.of(large, link)) {
      String flags = flagsOf(List.of("replay", "--compass", folder.toString(), "--config", ROOT.resolve("config/gemma-1.yaml").toString()));
      assertThat(flags).as("the JVM's flags for --compass %s (600 MB by length)", folder)
          .contains("-XX:-UseOnStackReplacement")
          .doesNotContain("-XX:TieredStopAtLevel=1");
    }
  }

  @Test
  void aSmallCoMPASSFolderRunsC1Alone() throws Exception {
    Path small = Files.createDirectories(dir.resolve("small"));
    Files.writeString(small.resolve("padding.bin"), "x");
    String flags = flagsOf(List.of("replay", "--compass", small.toString(), "--config", ROOT.resolve("config/gemma-1.yaml").toString()));
    assertThat(flags).contains("-XX:TieredStopAtLevel=1").doesNotContain("-XX:-UseOnStackReplacement");
  }

  @Test
  void aJournalIsMeasuredByItsBlocksOnDiskNotItsFilesLengths() throws Exception {
    for (List<String> args : List.of(List.of("replay", "--journal", large.toString()), List.of("replay", "--journal=" + large))) {
      String flags = flagsOf(args);
      assertThat(flags).as("the JVM's flags for %s (600 MB by length, next to nothing on disk)", args)
          .contains("-XX:+PrintCommandLineFlags") // the JVM did print its flags
          .doesNotContain("-XX:-UseOnStackReplacement");
    }
  }

  /** The flags line of {@code ./nudaq ARGS --out DIR} (this build's class path, no archive), JVM-printed. */
  private static String flagsOf(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("nudaq").toString());
    cmd.addAll(args);
    cmd.addAll(List.of("--out", dir.resolve("out").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("NUDAQ_CLASSPATH", System.getProperty("java.class.path"));
    env.put("NUDAQ_NO_CDS", "1");
    env.remove("NUDAQ_CDS_ARCHIVE");
    env.put("NUDAQ_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] bytes;
    try (var in = p.getInputStream()) {
      bytes = in.readAllBytes();
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the command finished").isTrue();
    String output = new String(bytes, StandardCharsets.UTF_8);
    return output.lines().filter(l -> l.contains("-XX:")).findFirst()
        .orElseThrow(() -> new AssertionError("no flags line in the output of " + args + ":\n" + output));
  }
}
