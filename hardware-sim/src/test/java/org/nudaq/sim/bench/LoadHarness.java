package org.nudaq.sim.bench;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.sim.server.FaultSpec;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;

/**
 * Load harness (not a unit test): the whole simulator (generator thread, board buffer, Netty server)
 * at {@code --accel max} with the NaI at 1 MHz, and one client on loopback that only reads bytes.
 * Prints events/s and MB/s after {@code seconds} (default 10) of wall time.
 *
 * <p>Run: {@code java -cp <hardware-sim test classpath> org.nudaq.sim.bench.LoadHarness [seconds]}.
 */
public final class LoadHarness {
  private LoadHarness() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    String yaml = Files.readString(Path.of(System.getProperty("nudaq.config", "config/gemma-1.yaml")))
        .replace("  naiSinglesHz: 50\n", "  naiSinglesHz: 1000000\n");
    NudaqConfig c = new ConfigLoader().parse("load.yaml", yaml);
    Simulation sim = new Simulation(c, new Simulation.Settings(Pacing.max(), FaultSpec.NONE, Double.POSITIVE_INFINITY,
        List.of(new InetSocketAddress("127.0.0.1", 0)), "load.yaml"));
    sim.start();
    long bytes = 0;
    byte[] buf = new byte[1 << 16];
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(1 << 20);
      s.connect(sim.boundAddress(0));
      InputStream in = s.getInputStream();
      // Warm up 2 s, then measure.
      long warmEnd = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < warmEnd) {
        in.read(buf);
      }
      long sent0 = sentEvents(sim);
      long t0 = System.nanoTime();
      long end = t0 + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        bytes += n;
      }
      double wall = (System.nanoTime() - t0) * 1e-9;
      long events = sentEvents(sim) - sent0;
      System.out.printf("LoadHarness: %.1f s, %.3g events/s, %.1f MB/s, detector time reached %.1f s, lost %d%n",
          wall, events / wall, bytes / wall / 1e6, sim.reachedNs() * 1e-9,
          sim.digitizer().board(0).lost(1));
    }
    sim.close();
  }

  private static long sentEvents(Simulation sim) {
    return sim.links().get(0).counters().sentEvents(0) + sim.links().get(0).counters().sentEvents(1);
  }
}
