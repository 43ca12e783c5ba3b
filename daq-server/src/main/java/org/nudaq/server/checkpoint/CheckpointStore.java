package org.nudaq.server.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint directory: checkpoint files named by journal index ({@link CheckpointFormat#fileName}),
 * written atomically — a temporary file, fsync, rename, fsync of the directory — so that a crash at
 * any moment leaves either the complete new file or none, never a partial one under a checkpoint's
 * name. Keeps the newest few and deletes the older ones.
 *
 * <p>Thread-safety: one writer at a time ({@link #write}, {@link #prune}); {@link #list} from any thread.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private final Path dir;

  public CheckpointStore(Path dir) {
    this.dir = dir;
  }

  public Path directory() {
    return dir;
  }

  /** The checkpoint files, newest (highest journal index) first; empty if the directory does not exist. */
  public List<Path> list() {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> journalIndexOf(p) != null).forEach(out::add);
    } catch (IOException e) {
      LOG.warn("cannot list the checkpoints in {}: {}", dir.toAbsolutePath(), e.getMessage());
    }
    out.sort(Comparator.comparing((Path p) -> journalIndexOf(p), Long::compareUnsigned).reversed());
    return out;
  }

  /** The journal index in a checkpoint file's name, or null if the name is not a checkpoint's. */
  static Long journalIndexOf(Path file) {
    String n = file.getFileName().toString();
    if (!n.startsWith(CheckpointFormat.FILE_PREFIX) || !n.endsWith(CheckpointFormat.FILE_SUFFIX)) {
      return null;
    }
    String hex = n.substring(CheckpointFormat.FILE_PREFIX.length(), n.length() - CheckpointFormat.FILE_SUFFIX.length());
    if (hex.length() != 16) {
      return null;
    }
    try {
      return Long.parseUnsignedLong(hex, 16);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Usable space on the directory's file system (of its nearest existing ancestor), bytes. */
  public long usableBytes() {
    Path p = dir.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? Long.MAX_VALUE : p.toFile().getUsableSpace();
  }

  /**
   * Writes {@code bytes[0, length)} as the checkpoint of {@code journalIndex}, atomically and durably.
   *
   * @return the file written
   * @throws IOException if any step failed (the temporary file is removed; an older checkpoint is untouched)
   */
  public Path write(byte[] bytes, int length, long journalIndex) throws IOException {
    return writeFile(CheckpointFormat.fileName(journalIndex), bytes, length);
  }

  /**
   * Writes {@code bytes[0, length)} as the file {@code name} in this directory, atomically and durably as
   * {@link #write} (the online calibration's state at a clean stop, issue 17: a name no checkpoint has).
   */
  public Path writeFile(String name, byte[] bytes, int length) throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IOException("cannot create the checkpoint directory " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    Path target = dir.resolve(name);
    Path temp = dir.resolve(target.getFileName() + CheckpointFormat.TEMP_SUFFIX);
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true); // the contents are on disk before the name points at them
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + dir.toAbsolutePath() + " cannot rename atomically", e);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    syncDirectory();
    return target;
  }

  /** Makes the rename durable (Linux: fsync of the directory); best effort where directories cannot be opened. */
  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      LOG.debug("checkpoints {}: directory fsync not supported: {}", dir, e.toString());
    }
  }

  /** Deletes all but the newest {@code keep} checkpoints; returns how many were deleted. */
  public int prune(int keep) {
    List<Path> all = list();
    int deleted = 0;
    for (int i = keep; i < all.size(); i++) {
      try {
        Files.deleteIfExists(all.get(i));
        deleted++;
      } catch (IOException e) {
        LOG.warn("checkpoints: cannot delete {}: {}", all.get(i), e.toString());
      }
    }
    return deleted;
  }

  /**
   * Deletes the checkpoints that do not belong to the session (start index and time), unreadable ones
   * included: once a session writes checkpoints, those of any other can never be restored. Returns how
   * many were deleted.
   */
  public int deleteOtherSessions(long sessionStartIndex, long sessionStartEpochMs) {
    int n = 0;
    for (Path p : list()) {
      try {
        CheckpointHeader h = CheckpointFile.readHeader(p);
        if (h == null || h.sessionStartIndex() != sessionStartIndex || h.sessionStartEpochMs() != sessionStartEpochMs) {
          Files.deleteIfExists(p);
          n++;
        }
      } catch (IOException e) {
        LOG.warn("checkpoints: cannot check or delete {}: {}", p, e.toString());
      }
    }
    if (n > 0) {
      LOG.info("checkpoints: deleted {} checkpoint(s) of other sessions in {}", n, dir.toAbsolutePath());
    }
    return n;
  }

  /** Removes temporary files a crash in the middle of a write left behind; returns how many. */
  public int deleteTemporaries() {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int n = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(CheckpointFormat.FILE_PREFIX) && name.endsWith(CheckpointFormat.TEMP_SUFFIX)) {
          Files.deleteIfExists(p);
          n++;
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot remove temporary files from the checkpoints in {}: {}", dir.toAbsolutePath(), e.getMessage());
    }
    return n;
  }
}
