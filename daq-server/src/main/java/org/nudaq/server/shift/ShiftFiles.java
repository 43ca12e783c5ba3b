package org.nudaq.server.shift;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs and the logbook as files, one set per run, in a directory ({@code <data>/runs} for the daemon,
 * the replay's output directory for {@code nudaq replay}):
 * <pre>
 *   run-000001.json            the run as in GET /api/runs (rewritten at start and stop, atomically)
 *   run-000001.logbook.jsonl   its logbook entries, one JSON object a line, as in GET /api/logbook
 *   between-runs.logbook.jsonl entries written while no run was going on
 * </pre>
 * The daemon reads them back at start ({@link #load}), so run numbers go on and the logbook keeps its
 * history across restarts. A file that cannot be read is logged with its name and skipped.
 *
 * <p>Thread-safe as a {@link ShiftRecord.Listener} (called under the record's lock).
 */
public final class ShiftFiles implements ShiftRecord.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ShiftFiles.class);
  private final Path dir;
  private long writeFailures;

  public ShiftFiles(Path dir) {
    this.dir = dir;
  }

  public Path directory() {
    return dir;
  }

  /** The run's file. */
  public Path runFile(long number) {
    return dir.resolve(String.format("run-%06d.json", number));
  }

  /** The run's logbook file (null: the between-runs file). */
  public Path logbookFile(Long run) {
    return dir.resolve(run == null ? "between-runs.logbook.jsonl" : String.format("run-%06d.logbook.jsonl", run));
  }

  @Override
  public synchronized void runChanged(RunRecord run) {
    try {
      Files.createDirectories(dir);
      Path file = runFile(run.number());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      ShiftJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), run.toFileMap());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      failed(runFile(run.number()), e);
    }
  }

  @Override
  public synchronized void entryAdded(LogEntry entry) {
    Path file = logbookFile(entry.run());
    try {
      Files.createDirectories(dir);
      Files.write(file, (ShiftJson.MAPPER.writeValueAsString(entry.toMap()) + "\n").getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException | RuntimeException e) {
      failed(file, e);
    }
  }

  private void failed(Path file, Exception e) {
    writeFailures++;
    LOG.error("shift record: could not write {}: {} (the journal keeps it; a replay rebuilds the file)", file.toAbsolutePath(), e.toString());
  }

  /** Writes that failed (disk full, permissions); each was logged. */
  public synchronized long writeFailures() {
    return writeFailures;
  }

  /** Writes every run and entry of {@code record} afresh (replays): logbook files already there are replaced. */
  public void writeAll(ShiftRecord record) {
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.logbook.jsonl")) {
        for (Path f : old) {
          Files.delete(f);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot replace the logbook files in " + dir.toAbsolutePath(), e);
      }
    }
    for (RunRecord r : record.runs()) {
      runChanged(r);
    }
    for (LogEntry e : record.entries(null)) {
      entryAdded(e);
    }
  }

  /** Reads the runs and entries kept in the directory into {@code record} (nothing when it does not exist). */
  public void load(ShiftRecord record) {
    List<RunRecord> runs = new ArrayList<>();
    List<LogEntry> entries = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path f : files) {
          String name = f.getFileName().toString();
          try {
            if (name.matches("run-\\d+\\.json")) {
              runs.add(readRun(f));
            } else if (name.endsWith(".logbook.jsonl")) {
              readEntries(f, entries);
            }
          } catch (IOException | RuntimeException e) {
            LOG.error("shift record: {} is not readable, skipped: {}", f.toAbsolutePath(), e.getMessage());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir.toAbsolutePath(), e);
      }
    }
    record.restore(runs, entries);
  }

  private static RunRecord readRun(Path f) throws IOException {
    Map<String, Object> m = ShiftJson.MAPPER.readValue(f.toFile(), new TypeReference<Map<String, Object>>() {});
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = (Map<String, Object>) m.get("summary");
    return new RunRecord(((Number) m.get("number")).longValue(), instant(m.get("start")), instant(m.get("stop")),
        (String) m.get("startComment"), (String) m.get("stopComment"), (String) m.get("configSha256"), summary,
        m.get("startDataTimeNs") instanceof Number n ? n.longValue() : null);
  }

  private static void readEntries(Path f, List<LogEntry> into) throws IOException {
    int line = 0;
    for (String s : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      line++;
      if (s.isBlank()) {
        continue;
      }
      try {
        Map<String, Object> m = ShiftJson.MAPPER.readValue(s, new TypeReference<Map<String, Object>>() {});
        Object run = m.get("run");
        into.add(new LogEntry(instant(m.get("time")), run == null ? null : ((Number) run).longValue(),
            LogKind.valueOf((String) m.get("kind")), (String) m.get("author"), (String) m.get("text")));
      } catch (IOException | RuntimeException e) {
        LOG.error("shift record: {} line {} is not a logbook entry, skipped: {}", f.toAbsolutePath(), line, e.getMessage());
      }
    }
  }

  private static Instant instant(Object o) {
    return o == null ? null : Instant.parse((String) o);
  }
}
