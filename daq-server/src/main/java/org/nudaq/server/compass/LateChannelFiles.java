package org.nudaq.server.compass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The channel files of a followed run that appeared after the follow had opened the run: CoMPASS
 * creates a run's files one after the other, and a follow that took the run's set of files before the
 * last one was made (compass.follow.settleSeconds too short for the machine) would otherwise never read
 * that channel — a whole channel's events of the run lost without a word. The follow asks between
 * slabs and at the run's end ({@link #appeared()}) and reads each such file from its start.
 *
 * <p>Single-threaded (the follow's thread).
 */
final class LateChannelFiles {
  private final Path runDir;
  /** The first-part file names of the channels read (or found late) so far. */
  private final Set<String> known = new HashSet<>();

  /** @param read the first-part file names of the channels the follow reads in {@code runDir} */
  LateChannelFiles(Path runDir, List<String> read) {
    this.runDir = runDir;
    known.addAll(read);
  }

  /**
   * The first-part file names of the channels in the run folder now that were not there before (in
   * name order); each is given once. A later part ({@code X_1.BIN}) of a channel read is no new channel.
   */
  List<String> appeared() {
    List<Path> files;
    try {
      files = CompassImport.listFiles(runDir);
    } catch (IllegalArgumentException e) {
      return List.of(); // not listable just now: asked again between the next slabs and at the run's end
    }
    List<String> found = new ArrayList<>();
    for (List<Path> chain : CompassFileChain.chains(files)) {
      String base = chain.get(0).getFileName().toString();
      if (known.add(base)) {
        found.add(base);
      }
    }
    return found;
  }
}
