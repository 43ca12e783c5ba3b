package org.nudaq.server.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.ingest.LatencyRecorder;
import org.nudaq.server.link.LinkStats;
import org.nudaq.server.pipeline.bench.BenchStream;
import org.nudaq.server.stress.SimulatorToDaemon;
import org.nudaq.sim.server.FaultSpec;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;

/**
 * Load harness (a main, not a unit test): the real simulator → the real daemon over loopback.
 *
 * <ol>
 *   <li>Raw loopback: the simulator at {@code --accel max} to a client that only reads bytes (as
 *       hardware-sim's {@code org.nudaq.sim.bench.LoadHarness}): events/s and MB/s, the ceiling.
 *   <li>End to end: the same simulator into the daemon: events/s received and processed, and at
 *       the end the simulator's sent events against the daemon's received ones (no loss allowed).
 *   <li>Latency from frame arrival at the link to its processing on the pipeline thread
 *       (p50/p99/p99.9 from the daemon's {@link LatencyRecorder}) at 10%, 50% and 90% of the maximum
 *       rate, with the simulator paced ({@code accel}) to that fraction of the measured maximum.
 * </ol>
 * The NaI singles rate is set high (2 MHz) so the stream is event-dominated. Prints a Markdown table.
 *
 * <p>Run: {@code java -cp <daq-server test classpath> org.nudaq.server.load.LoadHarness [seconds] [out.md]}
 * from the daq-server directory (./nudaq bench does this).
 */
public final class LoadHarness {
  private static final double NAI_HZ = 2e6;

  private LoadHarness() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    Path out = args.length > 1 ? Path.of(args[1]) : null;
    NudaqConfig config = SimulatorToDaemon.gemma1(NAI_HZ, 7);
    StringBuilder md = new StringBuilder();

    double[] raw = rawLoopback(config, seconds);
    // The run at max pacing lasts about warm-up + seconds: detector days from the raw rate.
    double maxDays = (2 + seconds) * raw[0] / NAI_HZ / 86_400;
    Result e2e = endToEnd(config, Pacing.max(), maxDays, seconds);
    double eventsPerDetectorSecond = e2e.eventsPerDetectorSecond;
    md.append(String.format(Locale.ROOT, "| measurement | events/s | MB/s | notes |%n|---|---:|---:|---|%n"));
    md.append(String.format(Locale.ROOT, "| simulator → reading client (raw loopback TCP) | %.3g | %.0f | ceiling of this machine |%n",
        raw[0], raw[1]));
    md.append(String.format(Locale.ROOT, "| simulator → daemon (end to end) | %.3g | %.0f | %.0f%% of raw; sent %d, received %d, lost %d |%n",
        e2e.eventsPerSecond, e2e.mbPerSecond, 100 * e2e.eventsPerSecond / raw[0], e2e.sent, e2e.received, e2e.sent - e2e.received));
    md.append(String.format(Locale.ROOT, "%nHeap used after GC at steady state (daemon, simulator and harness in one JVM): %.0f MB.%n%n",
        e2e.heapBytes / 1e6));

    md.append(String.format(Locale.ROOT, "| load (of max %.3g events/s) | events/s | frames | latency p50 | p99 | p99.9 |%n|---|---:|---:|---:|---:|---:|%n",
        e2e.eventsPerSecond));
    for (double fraction : new double[] {0.1, 0.5, 0.9}) {
      double accel = fraction * e2e.eventsPerSecond / eventsPerDetectorSecond;
      Result r = endToEnd(config, new Pacing(accel), accel * (2 + seconds) / 86_400, seconds);
      LatencyRecorder l = r.latency;
      md.append(String.format(Locale.ROOT, "| %.0f%% (accel %.2f) | %.3g | %d | %s | %s | %s |%n", fraction * 100, accel,
          r.eventsPerSecond, l.count(), micros(l.valueAtQuantile(0.5)), micros(l.valueAtQuantile(0.99)),
          micros(l.valueAtQuantile(0.999))));
    }
    System.out.print(md);
    if (out != null) {
      Files.writeString(out, md.toString());
    }
    System.exit(0);
  }

  private static String micros(long nanos) {
    return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
  }

  /** Events/s and MB/s of the simulator to a client that only reads, after 2 s of warm-up. */
  static double[] rawLoopback(NudaqConfig config, double seconds) throws Exception {
    Simulation sim = new Simulation(config, new Simulation.Settings(Pacing.max(), FaultSpec.NONE, Double.POSITIVE_INFINITY,
        List.of(new InetSocketAddress("127.0.0.1", 0)), "load"));
    sim.start();
    long bytes = 0;
    byte[] buf = new byte[1 << 16];
    double eventsPerSecond;
    double wall;
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(1 << 20);
      s.connect(sim.boundAddress(0));
      InputStream in = s.getInputStream();
      long warmEnd = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < warmEnd) {
        in.read(buf);
      }
      long sent0 = sent(sim);
      long t0 = System.nanoTime();
      long end = t0 + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        bytes += n;
      }
      wall = (System.nanoTime() - t0) * 1e-9;
      eventsPerSecond = (sent(sim) - sent0) / wall;
    }
    sim.close();
    return new double[] {eventsPerSecond, bytes / wall / 1e6};
  }

  private static long sent(Simulation sim) {
    long n = 0;
    for (int ch = 0; ch < 2; ch++) {
      n += sim.links().get(0).counters().sentEvents(ch);
    }
    return n;
  }

  record Result(double eventsPerSecond, double mbPerSecond, long sent, long received, double eventsPerDetectorSecond,
      long heapBytes, LatencyRecorder latency) {}

  /**
   * The simulator (paced, {@code days} detector days) into the daemon: measured from 2 s after the
   * start for {@code seconds} or until generation ends; then the run finishes and is checked.
   */
  static Result endToEnd(NudaqConfig config, Pacing pacing, double days, double seconds) throws Exception {
    Path dir = Files.createTempDirectory("nudaq-load");
    SimulatorToDaemon run = SimulatorToDaemon.start(config, pacing, days, "", dir);
    LinkStats link = run.daemon().links().get(0);
    Thread.sleep(2000);
    long e0 = link.eventsReceived();
    long b0 = link.bytesReceived();
    LatencyRecorder l0 = run.daemon().ingest().latency().copy();
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    while (System.nanoTime() < end && !run.simulation().generationEnd().isDone()) {
      Thread.sleep(10);
    }
    double wall = (System.nanoTime() - t0) * 1e-9;
    long events = link.eventsReceived() - e0;
    long bytes = link.bytesReceived() - b0;
    LatencyRecorder latency = run.daemon().ingest().latency().minus(l0);
    long heap = heapAfterGc();
    JsonNode summary = run.finish(300);
    JsonNode truth = run.truth();
    long sent = 0;
    for (JsonNode ch : truth.get("boards").get(0).get("channels")) {
      sent += ch.get("sentEvents").asLong();
    }
    long received = summary.get("accounting").get("received").asLong();
    double perDetectorSecond = sent / truth.get("detectorDays").asDouble() / 86_400;
    BenchStream.deleteTree(dir); // the journal of a load run is gigabytes of synthetic frames
    return new Result(events / wall, bytes / wall / 1e6, sent, received, perDetectorSecond, heap, latency);
  }

  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
