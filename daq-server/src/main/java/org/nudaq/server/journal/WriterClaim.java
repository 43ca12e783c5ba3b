package org.nudaq.server.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.threads.Pauser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journal writer's claim on its directory: an operating-system lock on {@link #FILE}, which the
 * kernel releases when the process dies, however it dies. While a writer holds it no other nudaq
 * writer is alive on the journal, so a Chronicle write lock found locked when the claim is taken is
 * stale, whatever process id it names, and is released ({@link #releaseStaleWriteLock}). A second
 * writer, of this JVM or another process, is refused with a {@link JournalException}: two daemons
 * writing one journal would interleave their sessions' records.
 *
 * <p>Why: Chronicle records only the holder's process id in its write lock, and frees a lock whose
 * process is dead when the next append asks for it. A writer that died with an append open (an
 * append and its rollback both faulted on a full volume, or a kill during an append) leaves the lock
 * held; if the restarted daemon has the same process id (PID 1 in a container, or an id reused),
 * Chronicle takes the holder for alive, waits 15 s and throws, and every later append does the
 * same: the restarted daemon could never journal. Measured with {@code unshare --pid}
 * ({@code stress.AppendFaultTest}).
 */
final class WriterClaim implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriterClaim.class);
  /** The claim file in the journal directory (empty; never deleted). */
  static final String FILE = "nudaq-writer.lock";
  /** Directories claimed by writers of this JVM (a second channel's close would drop the OS lock). */
  private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();
  /** How long a write lock held by another live process is waited for before it is taken for stale, ms. */
  static final long LIVE_HOLDER_GRACE_MS = 2_000;

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private WriterClaim(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Claims {@code dir}; returns null (logged) only if the file system cannot lock the claim file.
   *
   * @throws JournalException if another writer, of this JVM or another process, holds it: two writers
   *     on one journal would interleave two sessions' records, so the second one must not start
   */
  static WriterClaim acquire(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    if (!CLAIMED.add(key)) {
      throw new JournalException("journal " + key + " is already open for writing in this process (" + FILE
          + " is held): only one daemon may write a journal", null);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return new WriterClaim(key, channel, lock);
      }
      closeQuietly(channel);
      CLAIMED.remove(key);
      throw new JournalException("journal " + key + " is being written by another process (it holds " + key.resolve(FILE)
          + "): only one daemon may write a journal; stop the other one or give this one another --data directory", null);
    } catch (JournalException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      LOG.warn("journal {}: cannot lock {} ({}); a write lock left by a dead writer is freed by Chronicle only if "
          + "no live process has its id", key, FILE, e.toString());
    }
    closeQuietly(channel);
    CLAIMED.remove(key);
    return null;
  }

  /**
   * Frees the queue's write lock if it is held by a writer that died (this process holds the claim
   * and has not appended yet). A live process other than this one may hold it for a moment without
   * being a writer (a reader marking the end of a cycle file): such a lock is freed only if it is
   * still held after {@link #LIVE_HOLDER_GRACE_MS} (then its process id is a dead writer's, reused).
   * Returns the process id that held it, or −1 if it was free.
   */
  long releaseStaleWriteLock(SingleChronicleQueue queue) {
    try (TableStoreWriteLock writeLock = new TableStoreWriteLock(queue.metaStore(), Pauser::balanced, 0L)) {
      if (!writeLock.locked()) {
        return -1;
      }
      long pid = writeLock.lockedBy();
      if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        long deadline = System.nanoTime() + LIVE_HOLDER_GRACE_MS * 1_000_000L;
        while (writeLock.locked() && writeLock.lockedBy() == pid && System.nanoTime() < deadline) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
          }
        }
        if (!writeLock.locked() || writeLock.lockedBy() != pid) {
          return -1;
        }
      }
      LOG.warn("journal {}: the queue's write lock is held by process id {}, which is no journal writer (no other "
          + "process holds {}): a writer died with an append open; unlocking it", key, pid, FILE);
      writeLock.forceUnlock();
      return pid;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException | RuntimeException e) {
      LOG.debug("journal {}: releasing {}: {}", key, FILE, e.toString());
    }
    closeQuietly(channel);
    CLAIMED.remove(key);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing held
      }
    }
  }
}
