package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * Chronicle Queue must never phone home (the daemon runs inside a nuclear plant): a child JVM with
 * the project's JVM flags writes and reads a journal under {@code strace -f -e trace=connect}; every
 * connect() of every thread is in the trace, and none goes to an internet address. The child's one
 * deliberate loopback connect shows that the trace does see connections (the test can fail).
 */
class NoOutboundConnectionTest {
  private static final Pattern INET = Pattern.compile("connect\\(\\d+, \\{sa_family=AF_INET6?, sin6?_port=htons\\((\\d+)\\).*?"
      + "(?:inet_addr\\(\"([^\"]+)\"\\)|inet_pton\\(AF_INET6, \"([^\"]+)\")");

  @Test
  void chronicleWithAnalyticsDisabledConnectsNowhereButTheLoopbackControl(@TempDir Path dir) throws Exception {
    assertThat(Files.isExecutable(Path.of("/usr/bin/strace")))
        .as("strace is needed to watch the child JVM's connect() calls: run ./nudaq test, which installs it").isTrue();
    List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
    assertThat(flags).as("the project's JVM flags (parent pom nudaq.jvm.flags)").contains("-Dchronicle.analytics.disable=true");
    try (ServerSocket control = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path trace = dir.resolve("connect.trace");
      List<String> cmd = new ArrayList<>(List.of("/usr/bin/strace", "-f", "-e", "trace=connect", "-o", trace.toString(),
          Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      cmd.addAll(flags);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), JournalSmoke.class.getName(),
          dir.resolve("journal").toString(), Integer.toString(control.getLocalPort())));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(dir.resolve("child.log"));
      assumeTrue(!log.contains("PTRACE_TRACEME") && !log.contains("Operation not permitted"), "ptrace not permitted here: " + log);
      assertThat(p.exitValue()).as(log).isZero();
      assertThat(log).contains("1000 frames written and read");

      List<String> inet = new ArrayList<>();
      boolean controlSeen = false;
      for (String line : Files.readAllLines(trace)) {
        Matcher m = INET.matcher(line);
        if (!m.find()) {
          continue;
        }
        String addr = m.group(2) != null ? m.group(2) : m.group(3);
        InetAddress a = InetAddress.getByName(addr);
        if (a.isLoopbackAddress() && Integer.parseInt(m.group(1)) == control.getLocalPort()) {
          controlSeen = true;
        } else if (!a.isAnyLocalAddress()) {
          inet.add(line);
        }
      }
      assertThat(controlSeen).as("the trace records the child's loopback control connect").isTrue();
      assertThat(inet).as("connections other than the control").isEmpty();
    }
  }
}
