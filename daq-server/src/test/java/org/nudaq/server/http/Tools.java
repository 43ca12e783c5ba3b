package org.nudaq.server.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** External programs the monitoring tests need (Debian packages installed by ./nudaq test). */
final class Tools {
  private Tools() {}

  record Result(int exitCode, String output) {}

  /** The program, or a failure telling how to install it: these tests never skip silently. */
  static Path require(String program) {
    Path p = Path.of(program);
    if (!Files.isExecutable(p)) {
      throw new AssertionError(program + " is missing: run ./nudaq test, which installs the Debian packages the "
          + "monitoring tests need (prometheus, prometheus-alertmanager, chromium, chromium-driver)");
    }
    return p;
  }

  /** Runs a command with {@code argument} appended, stdout and stderr merged. */
  static Result run(Duration timeout, Path argument, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command));
    cmd.add(argument.toString());
    return run(timeout, new byte[0], cmd);
  }

  /** Runs a command with {@code stdin} as its input, stdout and stderr merged. */
  static Result run(Duration timeout, byte[] stdin, List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin);
    }
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeout);
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
