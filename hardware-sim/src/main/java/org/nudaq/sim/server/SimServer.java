package org.nudaq.sim.server;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The TCP side of the simulator: one listening port per board, like a rack of digitizers, each
 * serving its {@link BoardLink}. Netty 4.2 NIO transport; one acceptor thread and up to two I/O
 * threads. Outbound memory per connection is bounded by the write-buffer water marks (64 KiB low,
 * 512 KiB high); beyond them the link stops writing and frames wait in the board's bounded buffer.
 *
 * <p>{@link #start} and {@link #close} from one thread; {@link #boundAddress} from any thread after
 * start.
 */
public final class SimServer implements AutoCloseable {
  private final List<BoardLink> links;
  private final List<InetSocketAddress> endpoints;
  private BoardPorts ports;

  /**
   * @param links     one per board
   * @param endpoints where each board listens (port 0: any free port, see {@link #boundAddress})
   */
  public SimServer(List<BoardLink> links, List<InetSocketAddress> endpoints) {
    if (links.size() != endpoints.size()) {
      throw new IllegalArgumentException("one endpoint per board: links=" + links.size() + " endpoints=" + endpoints.size());
    }
    this.links = List.copyOf(links);
    this.endpoints = List.copyOf(endpoints);
  }

  /**
   * Binds every board's port and schedules the stall faults.
   *
   * @throws java.io.UncheckedIOException naming the board and address when a port is in use (IllegalStateException on
   *     another failure to bind); the ports bound and the threads are closed first
   */
  public void start() {
    ports = new BoardPorts(links.size());
    for (int i = 0; i < links.size(); i++) {
      BoardLink link = links.get(i);
      InetSocketAddress at = endpoints.get(i);
      try {
        ports.listen(link, link.board().boardId(), at);
      } catch (RuntimeException e) { // UncheckedIOException (in use) or IllegalStateException: no threads left behind
        close();
        throw e;
      }
      link.scheduleStall(ports.workers());
    }
  }

  /** The address board {@code i} listens on (with the real port when 0 was asked for). */
  public InetSocketAddress boundAddress(int i) {
    return ports.boundAddress(i);
  }

  @Override
  public void close() {
    if (ports != null) {
      ports.close();
    }
  }
}
