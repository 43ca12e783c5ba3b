package org.nudaq.sim.replay;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.BoardPorts;

/**
 * {@code ./nudaq sim --replay DIR}: serves the last session of a daemon journal over TCP, one port
 * per board like the simulator's boards, each board's frames exactly as journaled (see
 * {@link ReplayLink} and {@link ReplayFeed} for connections and pacing). The same ports as the
 * simulator's ({@link BoardPorts}: one acceptor thread, up to two I/O threads, 64/512 KiB write water marks).
 *
 * <p>{@link #start} and {@link #close} from one thread; the rest from any thread.
 */
public final class ReplayServer implements AutoCloseable {
  private final ReplayJournal journal;
  private final List<Integer> boardIds;
  private final List<InetSocketAddress> endpoints;
  private final List<ReplayLink> links = new ArrayList<>();
  private final List<ReplayFeed> feeds = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Pacing pacing;
  private BoardPorts ports;

  /**
   * @param journalDir the journal directory (its last session is replayed)
   * @param boardIds   the boards to serve, in the order of {@code endpoints}
   * @param endpoints  where each board listens (port 0: any free port)
   * @param pacing     {@code max} or detector seconds per wall second
   */
  public ReplayServer(Path journalDir, List<Integer> boardIds, List<InetSocketAddress> endpoints, Pacing pacing) {
    if (boardIds.size() != endpoints.size()) {
      throw new IllegalArgumentException("one endpoint per board: boards=" + boardIds.size() + " endpoints=" + endpoints.size());
    }
    this.boardIds = List.copyOf(boardIds);
    this.endpoints = List.copyOf(endpoints);
    this.pacing = pacing;
    this.journal = ReplayJournal.open(journalDir);
  }

  /** The configuration text the recording daemon ran with (from the session's SESSION record). */
  public String sessionConfigYaml() {
    return journal.sessionConfigYaml();
  }

  /** Binds every board's port, then starts reading the journal. */
  public void start() {
    ports = new BoardPorts(boardIds.size());
    for (int i = 0; i < boardIds.size(); i++) {
      int boardId = boardIds.get(i);
      ReplayFeed feed = new ReplayFeed(journal, boardId, pacing);
      ReplayLink link = new ReplayLink(boardId, feed);
      feeds.add(feed);
      links.add(link);
      InetSocketAddress at = endpoints.get(i);
      try {
        ports.listen(link, boardId, at);
      } catch (RuntimeException e) { // UncheckedIOException (in use) or IllegalStateException: no threads left behind
        close();
        throw e;
      }
    }
    for (int i = 0; i < feeds.size(); i++) {
      Thread t = new Thread(feeds.get(i), "replay-board-" + boardIds.get(i));
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** The address board {@code i} listens on (with the real port when 0 was asked for). */
  public InetSocketAddress boundAddress(int i) {
    return ports.boundAddress(i);
  }

  /** The links, in the order of the boards given. */
  public List<ReplayLink> links() {
    return List.copyOf(links);
  }

  /** Completes when every board has sent its last frame (and GOODBYE). */
  public CompletableFuture<Void> finished() {
    return CompletableFuture.allOf(links.stream().map(ReplayLink::finished).toArray(CompletableFuture[]::new));
  }

  /** The first journal read error of any board, or null. */
  public Throwable failure() {
    for (ReplayFeed f : feeds) {
      if (f.failure() != null) {
        return f.failure();
      }
    }
    return null;
  }

  @Override
  public void close() {
    for (Thread t : threads) {
      t.interrupt();
    }
    if (ports != null) {
      ports.close();
    }
    for (Thread t : threads) {
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    journal.close();
  }
}
