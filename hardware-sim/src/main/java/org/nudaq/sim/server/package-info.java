/**
 * The simulator's TCP side and its run: one listening port per board (Netty server event loops), the
 * connection rules of the wire protocol on the board side, injected link faults, pacing of detector time against
 * wall time, and the whole simulation's lifecycle.
 */
package org.nudaq.sim.server;
