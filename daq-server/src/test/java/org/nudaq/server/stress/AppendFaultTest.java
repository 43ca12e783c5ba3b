package org.nudaq.server.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path the free-space floor is there to avoid: an append to the memory-mapped journal on a volume
 * that is already full (floor 0), so the file system's refusal reaches the append as a SIGBUS, which
 * the JVM turns into an InternalError, partly delivered after the append returned. In a child JVM
 * ({@link FullVolumeAppender}) on a real 24 MiB tmpfs (needs root and mount; skipped otherwise): no
 * error escapes the writer's callers' handling, the writer refuses, stays stopped after space returns
 * (records appended after such a fault were not readable), and every frame it accepted before is read
 * back in order, byte for byte.
 */
class AppendFaultTest {
  private static final long MIB = 1L << 20;

  @Test
  void aSigbusOfTheMappedJournalRefusesTheRecordAndKeepsEverythingAcceptedBefore(@TempDir Path dir) throws Exception {
    Path volume = Files.createDirectories(dir.resolve("volume"));
    boolean mounted = DiskFullTest.command("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", volume.toString());
    assumeTrue(mounted, "ASSUMPTION: mounting a 24 MiB tmpfs needs root and mount permission; not available here");
    try {
      Path filler = volume.resolve("filler.bin");
      try (OutputStream out = Files.newOutputStream(filler)) {
        byte[] chunk = new byte[(int) MIB];
        for (int i = 0; i < 20; i++) {
          out.write(chunk); // 4 MiB left: a few hundred 16 KiB frames, then the volume is full
        }
      }
      Path log = dir.resolve("appender.log");
      Process p = child(volume.resolve("journal"), filler, log);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the appender finished").isTrue();
      String out = Files.readString(log);
      assertThat(p.exitValue()).as("exit status; output:%n%s", out).isZero();
      Matcher m = Pattern.compile("RESULT appended=(\\d+) refusedAfter=(\\d+) faults=(\\d+) matched=(\\d+) copies=(\\d+) "
          + "damaged=(\\d+) identical=(\\w+)").matcher(out);
      assertThat(m.find()).as("result line in:%n%s", out).isTrue();
      long appended = Long.parseLong(m.group(1));
      assertThat(appended).as("frames accepted before the volume was full").isBetween(100L, 300L);
      assertThat(m.group(7)).as("read back: every accepted frame, in order, byte for byte; output:%n%s", out).isEqualTo("true");
      assertThat(out).contains("after space returned: accepting=false mappedFault=true");
    } finally {
      DiskFullTest.command("umount", "-l", volume.toString());
    }
  }

  private static Process child(Path journal, Path filler, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FullVolumeAppender.class.getName());
    cmd.add(journal.toString());
    cmd.add(filler.toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
