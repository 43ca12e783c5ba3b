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
 *
 * <p>Then the restart ({@link RestartedAppender}, a second child JVM on the same journal, space back):
 * the faulted session is found as the last, unclosed one with all its frames (what crash recovery
 * reads); a new writer appends at once — both JVMs run as PID 1 of a new PID namespace when
 * {@code unshare} is available, like a daemon restarted in a container, so the write lock the dead
 * writer left held names the restarted process's own id ({@code WriterClaim} frees it) — and a reader
 * from the journal's start finds the old frames, the new SESSION record and the new frames, in order,
 * byte for byte.
 */
class AppendFaultTest {
  private static final long MIB = 1L << 20;
  private static final int RESTART_FRAMES = 50;

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
      // Both JVMs as PID 1 of their own PID namespace, as a daemon in a container restarted: the dead
      // writer's process id is the restarted one's (without unshare, Chronicle frees the dead one's lock).
      boolean asPid1 = DiskFullTest.command("unshare", "--pid", "--fork", "--mount-proc", "true");
      Path log = dir.resolve("appender.log");
      Process p = child(asPid1, log, FullVolumeAppender.class.getName(), volume.resolve("journal").toString(), filler.toString());
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

      Path restartLog = dir.resolve("restart.log");
      Process r = child(asPid1, restartLog, RestartedAppender.class.getName(), volume.resolve("journal").toString(),
          Long.toString(appended), Integer.toString(RESTART_FRAMES));
      assertThat(r.waitFor(120, TimeUnit.SECONDS)).as("the restart finished").isTrue();
      String rout = Files.readString(restartLog);
      System.out.print(rout);
      assertThat(r.exitValue()).as("exit status of the restart (PID 1: %b); output:%n%s", asPid1, rout).isZero();
      Matcher rm = Pattern.compile("RESTART recoverable=(\\d+) lastBefore=(\\w+) openMs=(\\d+) firstAppendMs=(\\d+) "
          + "appendMs=(\\d+) oldMatched=(\\d+) leftovers=(\\d+) sessionFound=(\\w+) newMatched=(\\d+) wrong=(\\d+) "
          + "lastIsNew=(\\w+)").matcher(rout);
      assertThat(rm.find()).as("restart result line in:%n%s", rout).isTrue();
      // Recovery's view: the faulted session is the last one, unclosed, with every accepted frame.
      assertThat(rm.group(2)).as("the faulted session before the restart; output:%n%s", rout).isEqualTo("unclosed");
      assertThat(Long.parseLong(rm.group(1))).as("its frames read from its SESSION record").isEqualTo(appended);
      // The restart appends at once (no wait for the dead writer's lock) after the faulted point...
      assertThat(Long.parseLong(rm.group(3)) + Long.parseLong(rm.group(4))).as("ms to open and append the first record; "
          + "output:%n%s", rout).isLessThan(5_000);
      // ...and a reader from the start finds it all: the old frames, the new session, the new frames.
      assertThat(Long.parseLong(rm.group(6))).as("frames before the fault, in order, byte for byte").isEqualTo(appended);
      assertThat(Long.parseLong(rm.group(7))).as("what the refused append left (a copy or a damaged frame)").isLessThanOrEqualTo(1);
      assertThat(rm.group(8)).as("the restart's SESSION record right after them; output:%n%s", rout).isEqualTo("true");
      assertThat(Long.parseLong(rm.group(9))).as("the restart's frames, in order, byte for byte").isEqualTo(RESTART_FRAMES);
      assertThat(Long.parseLong(rm.group(10))).as("frames out of place; output:%n%s", rout).isZero();
      assertThat(rm.group(11)).as("the restart's session is the journal's last").isEqualTo("true");
    } finally {
      DiskFullTest.command("umount", "-l", volume.toString());
    }
  }

  private static Process child(boolean asPid1, Path log, String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (asPid1) {
      cmd.addAll(List.of("unshare", "--pid", "--fork", "--mount-proc"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main);
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
