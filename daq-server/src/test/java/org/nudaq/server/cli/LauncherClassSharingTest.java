package org.nudaq.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nudaq replay} maps a class-data sharing archive at start (issue 19). An archive that does not
 * fit must be ignored without a word on the operator's terminal and change nothing in the results: a
 * missing file, a damaged one, and a well-formed archive made for another class path (what a stale one
 * is to the JVM). Run through the real launcher with {@code NUDAQ_CLASSPATH} (no build from inside the
 * build) and {@code NUDAQ_CDS_ARCHIVE} naming the archive; each replay must write exactly the spectra
 * of a replay without an archive.
 */
class LauncherClassSharingTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir static Path dir;
  private static Path compass;

  @BeforeAll
  static void compassFolder() throws IOException {
    // Two CoMPASS channel files (HPGe on channel 0, NaI on channel 1), 500 records each, 1 us apart.
    compass = Files.createDirectories(dir.resolve("compass"));
    for (int ch = 0; ch < 2; ch++) {
      ByteBuffer b = ByteBuffer.allocate(2 + 500 * 20).order(ByteOrder.LITTLE_ENDIAN);
      b.putShort((short) 0xCAE5);
      for (int i = 0; i < 500; i++) {
        b.putShort((short) 0).putShort((short) ch).putLong(i * 1_000_000L + ch * 300_000L)
            .putShort((short) (100 + i)).putShort((short) 50).putInt(0x4000);
      }
      Files.write(compass.resolve("Data_CH" + ch + "@V1725_0_test.BIN"), b.array());
    }
  }

  @Test
  void anArchiveThatDoesNotFitIsIgnoredQuietly() throws Exception {
    Replay without = replay(null, "out-none");
    assertThat(without.exit()).as("replay without an archive; output:%n%s", without.output()).isZero();
    // The launcher's JIT commands (one_shot_flags: CompileCommand, quiet) print nothing either.
    assertThat(without.output()).contains("1000 events in").doesNotContain("CompileCommand")
        .as("a small run's one core is not said, loaded or not").doesNotContain("core of");

    Path damaged = dir.resolve("damaged.jsa");
    byte[] noise = new byte[64 * 1024];
    new Random(19).nextBytes(noise);
    Files.write(damaged, noise);
    Path otherClassPath = dir.resolve("other.jsa");
    dump(otherClassPath);

    for (Path archive : List.of(dir.resolve("missing.jsa"), damaged, otherClassPath)) {
      Replay r = replay(archive, "out-" + archive.getFileName().toString().replace(".jsa", ""));
      assertThat(r.exit()).as("%s; output:%n%s", archive.getFileName(), r.output()).isZero();
      // Not one line more than without an archive, and nothing about sharing (the JVM's warnings bypass -Xlog).
      assertThat(r.output()).as(archive.getFileName().toString()).doesNotContainIgnoringCase("warning")
          .doesNotContainIgnoringCase("sharing").doesNotContain("CDS").doesNotContainIgnoringCase("archive").doesNotContain(".jsa");
      assertThat(withoutTiming(r.output())).as(archive.getFileName().toString()).isEqualTo(withoutTiming(without.output()));
      assertSameFiles(dir.resolve("out-none/spectra"), r.out().resolve("spectra"));
    }
  }

  /**
   * A journal replay through the launcher still gets Chronicle Queue's module flags (the launcher drops them for a
   * CoMPASS replay only, issue 19): without them Chronicle logs "may require command line arguments" and
   * IllegalAccessException stack traces. On one and on two cores, with the same spectra.
   */
  @Test
  void aJournalReplayThroughTheLauncherRunsWithChroniclesFlags() throws Exception {
    Path journal = dir.resolve("journal");
    org.nudaq.server.replay.SessionsJournalWriter.main(new String[] {journal.toString(), "2e5", "1"});
    List<Replay> replays = new ArrayList<>();
    for (String threads : List.of("1", "2")) {
      Replay r = run(List.of("replay", "--journal", journal.toString(), "--threads", threads), null, "out-journal-" + threads);
      assertThat(r.exit()).as("--threads %s; output:%n%s", threads, r.output()).isZero();
      assertThat(r.output()).as("--threads %s", threads).contains("200000 events in")
          .doesNotContain("may require command line arguments").doesNotContain("IllegalAccess").doesNotContain("Exception");
      replays.add(r);
    }
    assertSameFiles(replays.get(0).out().resolve("spectra"), replays.get(1).out().resolve("spectra"));
  }

  /**
   * A training run that fails leaves no archive and says in one line why and how to try again; the next command
   * does not train the same jar again (a failure that repeats, e.g. a JDK that cannot dump, would cost every command
   * seconds and a line), a rebuilt jar is trained again, and so is the same jar once the failure's record is removed.
   * The real launcher in a copy of the project's layout whose module jar is not a jar: the training's JVM cannot load
   * the daemon's main class.
   */
  @Test
  void aFailedTrainingSaysWhyAndIsNotRepeatedForTheSameJar() throws Exception {
    Path root = launcherLayout("layout");
    Path jar = root.resolve("daq-server/target/daq-server-0-SNAPSHOT.jar");
    Files.writeString(jar, "not a jar");
    Path failed = root.resolve("daq-server/target/nudaq-cds.jsa.failed");
    String failure = "nudaq: no class-data sharing archive (the training replay failed: Error: Could not find or load main class "
        + "org.nudaq.server.cli.ServerMain; log: " + root.resolve("target/cds-training/log.txt") + "); commands start "
        + "without it until the next build (rm " + failed + " to try again now)";

    String first = launch(root);
    assertThat(first).as("the first command's output").contains("nudaq: making the class-data sharing archive").contains(failure);
    assertThat(root.resolve("daq-server/target/nudaq-cds.jsa")).doesNotExist();
    assertThat(failed).as("the failure's record").isNotEmptyFile();

    String second = launch(root);
    assertThat(second).as("the second command, same jar: no training, no line about it").doesNotContain("class-data sharing")
        .as("the command itself ran (the layout has no simulator classes)").contains("org.nudaq.sim.cli.SimMain");

    // A rebuilt jar (other contents, a later time): trained again.
    Files.writeString(jar, "still not a jar, rebuilt");
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
    String third = launch(root);
    assertThat(third).as("the command after a rebuild").contains("nudaq: making the class-data sharing archive").contains(failure);

    Files.delete(failed);
    assertThat(launch(root)).as("the command after the record was removed").contains("nudaq: making the class-data sharing archive")
        .contains(failure);
  }

  /**
   * A command that finds another training under way (its lock held: here by flock(1), as the launcher takes it) does not
   * touch that training's folder or the archive: it says so in one line and starts without the archive.
   */
  @Test
  void aCommandDoesNotTrainWhileAnotherTrains() throws Exception {
    Path root = launcherLayout("layout-locked");
    Files.writeString(root.resolve("daq-server/target/daq-server-0-SNAPSHOT.jar"), "not a jar");
    Path training = Files.createDirectories(root.resolve("target/cds-training"));
    Files.writeString(training.resolve("classes.txt"), "another command's training");
    Process holder = new ProcessBuilder("flock", root.resolve("target/cds-training.lock").toString(), "-c", "echo locked; cat")
        .redirectErrorStream(true).start();
    try {
      var lines = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).as("flock holds the lock").isEqualTo("locked");
      String output = launch(root);
      assertThat(output).contains("nudaq: another command is making the class-data sharing archive; this one starts without it")
          .doesNotContain("making the class-data sharing archive (").doesNotContain("no class-data sharing archive")
          .as("the command itself ran (the layout has no simulator classes)").contains("org.nudaq.sim.cli.SimMain");
      assertThat(training.resolve("classes.txt")).hasContent("another command's training");
      assertThat(root.resolve("daq-server/target/nudaq-cds.jsa.failed")).doesNotExist();
    } finally {
      holder.getOutputStream().close(); // cat ends, flock releases the lock
      assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(launch(root)).as("once the lock is free").contains("nudaq: making the class-data sharing archive")
        .contains("no class-data sharing archive (the training replay failed");
  }

  /** A copy of the project's layout with the real launcher, built (no source newer than the class paths), no module jar yet. */
  private static Path launcherLayout(String name) throws IOException {
    Path root = Files.createDirectories(dir.resolve(name));
    Files.copy(ROOT.resolve("nudaq"), root.resolve("nudaq"));
    Files.copy(ROOT.resolve("pom.xml"), root.resolve("pom.xml"));
    Files.setLastModifiedTime(root.resolve("pom.xml"), java.nio.file.attribute.FileTime.fromMillis(0));
    for (String m : List.of("monitor", "hardware-sim", "daq-server")) {
      Files.createDirectories(root.resolve(m).resolve("target"));
      Files.writeString(root.resolve(m).resolve("target/classpath.txt"), ""); // built, no sources newer
    }
    return root;
  }

  /** {@code ./nudaq sim --version} in the layout {@code root}, with the launcher's own class-data sharing: its output. */
  private static String launch(Path root) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(root.resolve("nudaq").toString(), "sim", "--version").directory(root.toFile())
        .redirectErrorStream(true);
    pb.environment().remove("NUDAQ_CLASSPATH");
    pb.environment().remove("NUDAQ_NO_CDS");
    pb.environment().remove("NUDAQ_CDS_ARCHIVE");
    Process p = pb.start();
    p.getOutputStream().close();
    String output;
    try (var in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  /** A well-formed archive of the JDK's classes and one jar of this build's class path (not the launcher's). */
  private static void dump(Path archive) throws Exception {
    String jar = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> p.endsWith(".jar")).findFirst().orElseThrow();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:dump",
        "-XX:SharedArchiveFile=" + archive, "-cp", jar).redirectErrorStream(true).redirectOutput(dir.resolve("dump.log").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the dump finished").isTrue();
    assertThat(p.exitValue()).as("dump; log:%n%s", Files.readString(dir.resolve("dump.log"))).isZero();
    assertThat(archive).isNotEmptyFile();
  }

  private record Replay(int exit, String output, Path out) {}

  private static Replay replay(Path archive, String outName) throws Exception {
    return run(List.of("replay", "--compass", compass.toString(), "--config", ROOT.resolve("config/gemma-1.yaml").toString(),
        "--reactor", "on"), archive, outName);
  }

  /** {@code ./nudaq ARGS --out DIR/outName} with this build's class path, the archive given or none. */
  private static Replay run(List<String> args, Path archive, String outName) throws Exception {
    Path out = dir.resolve(outName);
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("nudaq").toString());
    cmd.addAll(args);
    cmd.addAll(List.of("--out", out.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("NUDAQ_CLASSPATH", System.getProperty("java.class.path"));
    env.remove("NUDAQ_NO_CDS");
    env.remove("NUDAQ_JAVA_OPTS");
    if (archive == null) {
      env.remove("NUDAQ_CDS_ARCHIVE");
    } else {
      env.put("NUDAQ_CDS_ARCHIVE", archive.toString());
    }
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] bytes;
    try (var in = p.getInputStream()) {
      bytes = in.readAllBytes();
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the replay finished").isTrue();
    return new Replay(p.exitValue(), new String(bytes, StandardCharsets.UTF_8), out);
  }

  /** The output without what differs from run to run (the rate line and the output path). */
  private static String withoutTiming(String output) {
    return String.join("\n", output.lines().filter(l -> !l.contains(" events in ") && !l.startsWith("nudaq replay: spectra"))
        .toList());
  }

  private static void assertSameFiles(Path expected, Path actual) throws IOException {
    List<Path> names;
    try (Stream<Path> s = Files.list(expected)) {
      names = s.map(Path::getFileName).sorted().toList();
    }
    assertThat(names).isNotEmpty();
    try (Stream<Path> s = Files.list(actual)) {
      assertThat(s.map(Path::getFileName).sorted().toList()).isEqualTo(names);
    }
    for (Path n : names) {
      assertThat(Files.readAllBytes(actual.resolve(n))).as(n.toString()).isEqualTo(Files.readAllBytes(expected.resolve(n)));
    }
  }
}
