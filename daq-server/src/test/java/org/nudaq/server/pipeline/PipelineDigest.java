package org.nudaq.server.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.sim.generator.EventGenerator;

/**
 * A command, not a test: a SHA-256 digest of what the pipeline makes of a seeded simulated run, to show
 * that a restructuring changed nothing (run it on the commit before and after; the digests must be
 * equal). GEMMA-I with reactor ON/OFF periods of 0.05/0.03 days, transition margins of 300 s, noise bursts
 * every 0.02 days (so the muon, transition and data-quality gates, the veto and the flag cuts all act);
 * the digest covers the complete pipeline state ({@link PipelineStates}) at five points of the run and
 * after {@code finish()}, and the final snapshot's live times and accounting. Prints each state's short
 * digest and the whole one.
 *
 * <pre>
 * mvn -B -q -o -DskipTests -pl daq-server -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
 * cd daq-server && java -cp "target/test-classes:target/classes:../monitor/target/classes:../hardware-sim/target/classes:$(cat target/test-classpath.txt)" \
 *     org.nudaq.server.pipeline.PipelineDigest 0.25     # simulated days
 * </pre>
 */
public final class PipelineDigest {
  private PipelineDigest() {}

  public static void main(String[] args) throws Exception {
    double days = Double.parseDouble(args.length > 0 ? args[0] : "0.25");
    NudaqConfig config = GeneratorRuns.gemma1RaisedRates(0.05, 0.03, 0.02);
    config = TestConfigs.withGates(config,
        TestConfigs.gates(config, true, true, config.gates().reactorStateSource(), 300, 60));
    EventPipeline pipeline = new EventPipeline(config);
    SimulatorFeed feed = new SimulatorFeed(config, pipeline);
    EventGenerator generator = new EventGenerator(config, List.of(GeneratorRuns.FLAT), feed);
    feed.start(generator);
    MessageDigest all = MessageDigest.getInstance("SHA-256");
    for (int k = 1; k <= 5; k++) {
      generator.generateUntil(Math.round(days * k / 5 * 86400e9));
      byte[] state = PipelineStates.of(pipeline);
      System.out.println("state " + k + " " + shortDigest(state) + " bytes=" + state.length);
      all.update(state);
    }
    pipeline.finish();
    PipelineSnapshot snapshot = pipeline.publish(Instant.EPOCH);
    StringBuilder text = new StringBuilder();
    for (PipelineSnapshot.DetectorSnapshot d : snapshot.detectors()) {
      text.append(d).append('\n');
    }
    text.append(snapshot.totals()).append('\n').append(snapshot.channels()).append('\n').append(snapshot.naiSpectra()).append('\n');
    all.update(sortedMaps(text.toString()).getBytes(StandardCharsets.UTF_8));
    all.update(PipelineStates.of(pipeline));
    System.out.println(snapshot.totals());
    System.out.println("digest " + HexFormat.of().formatHex(all.digest()));
  }

  private static String shortDigest(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
  }

  /** The snapshot's maps print in no fixed order: their entries sorted, so the text is reproducible. */
  private static String sortedMaps(String text) {
    Matcher m = Pattern.compile("\\{([^{}]*)\\}").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String[] parts = m.group(1).split(", ");
      Arrays.sort(parts);
      m.appendReplacement(out, Matcher.quoteReplacement("{" + String.join(", ", parts) + "}"));
    }
    m.appendTail(out);
    return out.toString();
  }
}
