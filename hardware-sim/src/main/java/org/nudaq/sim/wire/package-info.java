/**
 * Encoding the wire protocol's frames into Netty buffers on the server's event loop, with preallocated event
 * batches (one object per frame, never per event).
 */
package org.nudaq.sim.wire;
