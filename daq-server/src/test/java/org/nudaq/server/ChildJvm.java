package org.nudaq.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A main class run in a child JVM by a test that must kill it (kill -9) or watch it from outside: this
 * JVM's java, flags (the project's Chronicle flags from the parent pom) and class path, output to a log.
 * One place for the command line the crash, disk and CoMPASS-follow tests start the daemon with.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** {@code ServerMain run --config yaml --data data}, with {@code extraJvmFlags} after this JVM's flags. */
  public static Process daemon(Path yaml, Path data, Path log, String... extraJvmFlags) throws IOException {
    return start(log, List.of(extraJvmFlags), "org.nudaq.server.cli.ServerMain",
        "run", "--config", yaml.toString(), "--data", data.toString());
  }

  /** {@code mainClass args} with this JVM's flags, then {@code extraJvmFlags}; stdout and stderr to {@code log}. */
  public static Process start(Path log, List<String> extraJvmFlags, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(extraJvmFlags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
