/**
 * The daemon's connections to digitizer boards (Netty clients on the links' one-thread event loop): reconnect
 * with backoff ({@code Reconnector}, which the CoMPASS stream's link uses too, counting into {@code ConnectionCounts}),
 * cutting the byte stream into CRC-checked frames with in-stream resynchronisation
 * ({@code WireFrameDecoder}), the connection rules (HELLO first, sequence numbers) and per-board counters read by any
 * thread ({@code LinkStats}). Frames refused by a full {@code FrameSink} are held on the event loop and reported to it
 * ({@code FrameSink#holding}), so the daemon's stop waits for them.
 */
package org.nudaq.server.link;
