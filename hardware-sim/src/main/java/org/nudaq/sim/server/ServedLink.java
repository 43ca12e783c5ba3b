package org.nudaq.sim.server;

import io.netty.channel.Channel;

/**
 * A board's end of a connection, as the simulator serves it: one client at a time, written while
 * the channel is writable. Implemented by the generating {@link BoardLink} and by the journal
 * replay's link; event-loop threads only.
 */
public interface ServedLink {

  /** A client connected; false if another client already has this board (the new one is closed). */
  boolean attach(Channel ch);

  /** The client went away. */
  void detach(Channel ch);

  /** The channel is writable again: send what is waiting. */
  void drain(Channel ch);
}
