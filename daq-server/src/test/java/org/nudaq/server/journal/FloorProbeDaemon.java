package org.nudaq.server.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.daemon.Daemon;

/**
 * The daemon as {@code ServerMain run} starts it, but with the journal's free-space probe seam
 * ({@link JournalWriter.FreeSpaceProbe}) reading 0 bytes free while a flag file exists: a child JVM for
 * the tests that start a daemon below its disk floor and kill it with -9. Arguments: config, data
 * directory, flag file. Runs until killed.
 */
public final class FloorProbeDaemon {
  private FloorProbeDaemon() {}

  public static void main(String[] args) throws Exception {
    NudaqConfig config = new ConfigLoader().load(Path.of(args[0]));
    Path flag = Path.of(args[2]);
    JournalWriter.FreeSpaceProbe probe = dir -> Files.exists(flag) ? 0 : JournalWriter.FreeSpaceProbe.FILE_SYSTEM.usableBytes(dir);
    Daemon daemon = new Daemon(config, Path.of(args[1]), Clock.systemUTC(), probe);
    daemon.start();
    Thread.sleep(Long.MAX_VALUE);
  }
}
