package org.nudaq.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher's C1 replays compile the per-event code early (issue 19: {@code one_shot_flags} in {@code ./nudaq}
 * scales the compile thresholds of the packages it names, by CompileCommand patterns). A pattern that names no
 * class costs nothing and says nothing: a package renamed or moved would quietly lose the gain. So each package
 * the script names must hold this build's classes, among them the feed's, the merge's and the spectra's; and their
 * factor, times the global one that makes every other method compile late (JIT_COLD), must stay well below 1.
 * (That the JVM prints nothing for the commands is checked by {@link LauncherClassSharingTest}'s replays.)
 */
class LauncherJitFlagsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyPackageWhoseThresholdsTheLauncherScalesHoldsClassesOfThePerEventCode() throws Exception {
    String script = Files.readString(ROOT.resolve("nudaq"));
    assertThat(script).contains("-XX:CompileCommand=quiet").contains("CompileThresholdScaling,$p.*::*,$JIT_EARLY");
    Matcher loop = Pattern.compile("for p in ([a-z. ]+); do\\s+ONE_SHOT_FLAGS\\+=\\(\"-XX:CompileCommand=CompileThresholdScaling").matcher(script);
    assertThat(loop.find()).as("the launcher's loop over the packages").isTrue();
    List<String> packages = List.of(loop.group(1).trim().split(" +"));
    assertThat(packages).contains("org.nudaq.server.pipeline", "org.nudaq.server.compass", "org.nudaq.monitor.spectrum");
    Matcher factor = Pattern.compile("(?m)^JIT_EARLY=([0-9.]+)$").matcher(script);
    assertThat(factor.find()).as("JIT_EARLY is set").isTrue();
    double early = Double.parseDouble(factor.group(1));
    assertThat(early).as("a factor of the thresholds").isGreaterThan(0).isLessThan(1);
    // The per-package factor multiplies the global one (JIT_COLD, every other method's): the per-event code must
    // still compile before the JDK's thresholds, everything else after them.
    assertThat(script).contains("-XX:CompileThresholdScaling=\"$JIT_COLD\"");
    Matcher cold = Pattern.compile("(?m)^JIT_COLD=([0-9.]+)$").matcher(script);
    assertThat(cold.find()).as("JIT_COLD is set").isTrue();
    double late = Double.parseDouble(cold.group(1));
    assertThat(late).as("the global factor: start-up code compiled late").isGreaterThanOrEqualTo(1);
    assertThat(late * early).as("the per-event packages' thresholds, JIT_COLD x JIT_EARLY of the JDK's").isGreaterThan(0).isLessThan(0.25);
    for (String p : packages) {
      assertThat(classesIn(p)).as("classes of package %s (named by ./nudaq's one_shot_flags)", p).isNotEmpty();
    }
    assertThat(classesIn("org.nudaq.server.compass")).contains("CompassFeed.class", "PsToTicks.class");
    assertThat(classesIn("org.nudaq.server.pipeline")).contains("TimeOrderedMerge.class", "DecisionStage.class", "PairChunk.class");
    assertThat(classesIn("org.nudaq.monitor.spectrum")).contains("EnergySpectrum.class");
  }

  /**
   * The methods a C1 replay inlines wherever they are called ({@code C1_INLINE}, CompileCommand inline: the per-HPGe-event
   * calls of PairChunk's loop) must be methods of this build: a renamed one would quietly be called again (the JVM is
   * told to say nothing about its commands).
   */
  @Test
  void everyMethodTheLauncherInlinesInAC1ReplayIsAMethodOfThisBuild() throws Exception {
    assertNamesMethodsOfThisBuild("C1_INLINE", "-XX:CompileCommand=inline,$m",
        "org.nudaq.server.pipeline.DecisionStage::decide", "org.nudaq.server.pipeline.VetoLookahead::pack");
  }

  /**
   * A large CoMPASS replay's C2 keeps some methods out of line (JIT_OUT_OF_LINE, CompileCommand dontinline): a name
   * that matches no method would quietly compile them twice again, so each must name a method of this build, and the
   * launcher must pass them all.
   */
  @Test
  void everyMethodTheLauncherKeepsOutOfLineExists() throws Exception {
    assertNamesMethodsOfThisBuild("JIT_OUT_OF_LINE", "-XX:CompileCommand=dontinline,$m",
        "org.nudaq.server.compass.CompassFeed::dataTimes", "org.nudaq.server.pipeline.TimeOrderedMerge::emitRunsOfTwo");
  }

  /**
   * The script's list {@code variable} (class::method names, blank- or newline-separated, lines continued with a
   * backslash) is passed in a loop as {@code flag}, holds {@code expected}, and names only methods that a class of
   * this build declares.
   */
  private static void assertNamesMethodsOfThisBuild(String variable, String flag, String... expected) throws Exception {
    String script = Files.readString(ROOT.resolve("nudaq"));
    assertThat(script).contains("for m in $" + variable + "; do").contains("\"" + flag + "\"");
    Matcher list = Pattern.compile("(?m)^" + variable + "=\"([^\"]*)\"").matcher(script);
    assertThat(list.find()).as("%s is set", variable).isTrue();
    List<String> methods = List.of(list.group(1).replace("\\\n", " ").trim().split("\\s+"));
    assertThat(methods).contains(expected);
    for (String m : methods) {
      assertThat(m).as("%s: class::method", m).matches("org\\.nudaq(\\.[a-z0-9]+)+\\.[A-Z][A-Za-z0-9]*::[a-z][A-Za-z0-9]*");
      String[] parts = m.split("::");
      Class<?> c = Class.forName(parts[0], false, LauncherJitFlagsTest.class.getClassLoader());
      assertThat(Stream.of(c.getDeclaredMethods()).map(java.lang.reflect.Method::getName))
          .as("methods of %s (named by ./nudaq's %s)", parts[0], variable).contains(parts[1]);
    }
  }

  /** The class files directly in a package's folder of the class path (this build's classes folders or jars). */
  private static List<String> classesIn(String pkg) throws IOException, URISyntaxException {
    List<String> names = new ArrayList<>();
    var urls = LauncherJitFlagsTest.class.getClassLoader().getResources(pkg.replace('.', '/'));
    while (urls.hasMoreElements()) {
      var url = urls.nextElement();
      if (url.getProtocol().equals("file")) {
        try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
          s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".class")).forEach(names::add);
        }
      } else { // jar:file:...!/org/nudaq/...
        var connection = (java.net.JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (var jar = connection.getJarFile()) {
          String prefix = pkg.replace('.', '/') + "/";
          jar.stream().map(e -> e.getName()).filter(n -> n.startsWith(prefix) && n.endsWith(".class") && n.indexOf('/', prefix.length()) < 0)
              .forEach(n -> names.add(n.substring(prefix.length())));
        }
      }
    }
    return names;
  }
}
