package org.nudaq.server.compass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * The channel files of the CoMPASS run that {@link SegmentedCompassImport} is to cut in time (issue 19):
 * each channel's parts, record length and header flags, and why the run cannot be cut ({@link #whyNot},
 * null: it can). Built and read on the replay command's thread; immutable once the parts' record counts
 * are set, before the segments start.
 */
final class CompassRunLayout {
  Path run;
  /** Per channel, its first part, and all its parts. */
  final List<Path> files = new ArrayList<>();
  List<List<Path>> chains;
  int[] lengths;
  /** Per channel, the first part's header flags (the layout of every part). */
  int[] headerFlags;
  /** Per file, the (board << 8 | channel) of its first record (−1: none or fake). */
  int[] firstKey;
  String whyNot;

  static CompassRunLayout of(Path dir) {
    CompassRunLayout l = new CompassRunLayout();
    List<Path> runs = CompassImport.runFolders(dir);
    if (runs.size() != 1) {
      l.whyNot = "replay: one core: " + (runs.isEmpty() ? "no run" : "a folder of " + runs.size() + " runs is fed run after run");
      return l;
    }
    l.run = runs.get(0);
    List<List<Path>> chains = CompassFileChain.chains(CompassImport.listFiles(l.run));
    l.chains = chains;
    l.lengths = new int[chains.size()];
    l.headerFlags = new int[chains.size()];
    l.firstKey = new int[chains.size()];
    for (int i = 0; i < chains.size(); i++) {
      List<Path> chain = chains.get(i);
      Path f = chain.get(0);
      l.files.add(f);
      if (l.whyNot != null) {
        continue;
      }
      Path csv = chain.stream().filter(CompassFileChain::csv).findFirst().orElse(null);
      if (csv != null) {
        l.whyNot = "replay: one core: " + csv.getFileName() + " is a CSV file (records of varying length)";
      } else {
        try (CompassBinarySource b = new CompassBinarySource(f)) {
          l.lengths[i] = b.fixedLength();
          l.headerFlags[i] = b.headerFlags();
          if (l.lengths[i] == 0) {
            l.whyNot = "replay: one core: " + f.getFileName() + " has records of varying length (waveforms or no 2022 header)";
          } else {
            l.firstKey[i] = b.next() && (b.flags() & CompassDescriptor.FAKE_MASK) == 0 && (b.board() | b.channel()) < 256
                ? b.board() << 8 | b.channel() : -1;
          }
        } catch (CompassFormatException e) {
          l.whyNot = "replay: one core: " + e.getMessage();
        }
      }
    }
    return l;
  }

  /** Per file, the compass.channels entry its first record maps to (−1: none): whose saved events its records are taken as. */
  int[] savedTargetOf(NudaqConfig config) {
    var map = config.compass().channels();
    int[] out = new int[files.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = -1;
      for (int k = 0; k < map.size() && firstKey[i] >= 0; k++) {
        if ((map.get(k).board() << 8 | map.get(k).channel()) == firstKey[i] && map.get(k).board() < 256 && map.get(k).channel() < 256) {
          out[i] = k;
          break;
        }
      }
    }
    return out;
  }
}
