package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.ChildJvm;

/**
 * Two daemons (two JVMs, {@code ServerMain run}) on one data directory: the second finds the journal
 * claimed by the first ({@code nudaq-writer.lock}) and stops at once with one line naming the journal
 * and a non-zero exit — it used to log a WARN and write the same journal (issue 13). The first keeps
 * running.
 */
class SecondWriterTest {

  @Test
  void aSecondDaemonOnTheSameJournalStopsWithAOneLineErrorAndTheFirstKeepsRunning(@TempDir Path dir) throws Exception {
    int nobody;
    try (ServerSocket s = new ServerSocket(0)) {
      nobody = s.getLocalPort(); // no board there: both daemons keep trying to connect, which is fine
    }
    Path yaml = CrashRecoveryTest.daemonConfig(dir, nobody);
    Path data = dir.resolve("data");
    Path log1 = dir.resolve("daemon-1.log");
    Process first = ChildJvm.daemon(yaml, data, log1);
    Process second = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(log1).contains("daemon started")) {
        assertThat(first.isAlive()).as("daemon 1 alive (see %s)", log1).isTrue();
        assertThat(System.nanoTime()).as("daemon 1 started").isLessThan(deadline);
        Thread.sleep(50);
      }
      Path log2 = dir.resolve("daemon-2.log");
      second = ChildJvm.daemon(yaml, data, log2);
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second daemon stops by itself").isTrue();
      assertThat(second.exitValue()).as("exit status of the second daemon").isEqualTo(2);
      List<String> lines = Files.readAllLines(log2).stream().filter(l -> l.startsWith("nudaq run:")).toList();
      String all = Files.readString(log2);
      System.out.printf("second daemon said: %s%n", lines);
      assertThat(lines).as("second daemon's output:%n%s", all).hasSize(1);
      assertThat(lines.get(0)).contains("journal " + data.resolve("journal").toAbsolutePath().normalize())
          .contains("another process").contains(WriterClaim.FILE);
      assertThat(all).doesNotContain("\tat ").doesNotContain("Exception");
      assertThat(first.isAlive()).as("the first daemon keeps running").isTrue();
    } finally {
      if (second != null && second.isAlive()) {
        second.destroyForcibly();
      }
      first.destroy();
      first.waitFor(60, TimeUnit.SECONDS);
    }
  }
}
