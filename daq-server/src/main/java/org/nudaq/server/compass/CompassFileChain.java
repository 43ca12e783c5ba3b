package org.nudaq.server.compass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One channel of a finished CoMPASS run: its list file and the continuation parts CoMPASS split off
 * when the file reached its size limit ({@code X.BIN}, {@code X_1.BIN}, {@code X_2.BIN}, ...), read
 * as one stream of records. Binary continuation parts have no 2-byte header: they are read with the
 * first part's layout. A format error ends its part (reported, counted) and the next part is read,
 * so nothing after it is lost. Single-threaded.
 */
final class CompassFileChain implements CompassSource {
  private static final Pattern PART = Pattern.compile("(.*)_([0-9]+)\\.([A-Za-z]+)");

  private final List<Path> parts;
  private final List<String> errors = new ArrayList<>();
  private int part = -1;
  private CompassSource current;
  private int headerFlags = -1;
  private long records;

  CompassFileChain(List<Path> parts) {
    this.parts = List.copyOf(parts);
  }

  /**
   * The chain read from record {@code local} of part {@code part} on, {@code recordsBefore} records
   * having been read before it (a replay cut in time, issue 19): binary parts of records of one length
   * only ({@link CompassBinarySource#at(Path, int, long)}); {@code headerFlags}: the first part's.
   */
  static CompassFileChain at(List<Path> parts, int headerFlags, int part, long local, long recordsBefore) {
    CompassFileChain c = new CompassFileChain(parts);
    c.headerFlags = headerFlags;
    c.part = part;
    c.records = recordsBefore;
    if (part < parts.size()) {
      c.current = CompassBinarySource.at(parts.get(part), part == 0 ? -1 : headerFlags, local);
    }
    return c;
  }

  /** The part being read; {@code parts().size()} once the chain has ended. */
  int part() {
    return current == null && part >= 0 ? parts.size() : part;
  }

  /** Records read of the current part, counted from its start (0 once the chain has ended). */
  long partRecords() {
    return current == null ? 0 : current.records();
  }

  /**
   * The channel chains of a folder's list files: a file {@code X_k.ext} is part k of {@code X.ext}
   * if that file is there (so {@code ..._run_1.BIN} alone is no part); parts in numeric order.
   */
  static List<List<Path>> chains(List<Path> files) {
    Map<String, Path> byName = new LinkedHashMap<>();
    for (Path f : files) {
      byName.put(f.getFileName().toString(), f);
    }
    Map<String, TreeMap<Long, Path>> chains = new TreeMap<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      Matcher m = PART.matcher(name);
      if (m.matches() && byName.containsKey(m.group(1) + "." + m.group(3)) && m.group(2).length() < 10) {
        chains.computeIfAbsent(m.group(1) + "." + m.group(3), k -> new TreeMap<>()).put(Long.parseLong(m.group(2)), f);
      } else {
        chains.computeIfAbsent(name, k -> new TreeMap<>()).put(0L, f);
      }
    }
    List<List<Path>> out = new ArrayList<>();
    for (TreeMap<Long, Path> c : chains.values()) {
      out.add(new ArrayList<>(c.values()));
    }
    return out;
  }

  /**
   * The sources of a run folder's list files ({@link CompassImport#listFiles}): one chain per channel
   * ({@link #chains}), each to be read from its first part.
   *
   * @throws IllegalArgumentException if the folder cannot be listed
   */
  static CompassFileChain[] ofRun(Path run) {
    List<List<Path>> chains = chains(CompassImport.listFiles(run));
    CompassFileChain[] sources = new CompassFileChain[chains.size()];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = new CompassFileChain(chains.get(i));
    }
    return sources;
  }

  static boolean csv(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
  }

  @Override
  public Path file() {
    return parts.get(0);
  }

  @Override
  public boolean next() {
    while (true) {
      if (current != null) {
        if (current.next()) {
          records++;
          return true;
        }
        if (current.error() != null) {
          errors.add(current.error().getMessage());
        }
        current.close();
        current = null;
      }
      if (part + 1 >= parts.size()) {
        return false;
      }
      part++;
      Path p = parts.get(part);
      try {
        if (csv(p)) {
          current = new CompassCsvSource(p);
        } else if (part == 0) {
          CompassBinarySource b = new CompassBinarySource(p);
          headerFlags = b.headerFlags();
          current = b;
        } else {
          current = headerFlags >= 0 ? CompassBinarySource.continuation(p, headerFlags) : new CompassBinarySource(p);
        }
      } catch (CompassFormatException e) {
        errors.add(e.getMessage());
      }
    }
  }

  /** The current part's records in bulk ({@link CompassSource#nextRecords}); none across parts. */
  @Override
  public int nextRecords(long beforePs, int max, CompassRecordColumns out) {
    if (current == null) {
      return 0;
    }
    int n = current.nextRecords(beforePs, max, out);
    records += n;
    return n;
  }

  @Override
  public int board() {
    return current.board();
  }

  @Override
  public int channel() {
    return current.channel();
  }

  @Override
  public long timestampPs() {
    return current.timestampPs();
  }

  @Override
  public int energyAdc() {
    return current.energyAdc();
  }

  @Override
  public int flags() {
    return current.flags();
  }

  @Override
  public long records() {
    return records;
  }

  /** The first format error, or null (all of them: {@link #errors()}). */
  @Override
  public CompassFormatException error() {
    return null;
  }

  /** Every format error met, one line each (file and offset), in order. */
  List<String> errors() {
    return errors;
  }

  /** The parts, first one first. */
  List<Path> parts() {
    return parts;
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
    }
  }
}
