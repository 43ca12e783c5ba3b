/**
 * The daemon's connections to digitizer boards (Netty clients on the links' one-thread event loop): reconnect
 * with backoff, cutting the byte stream into CRC-checked frames with in-stream resynchronisation
 * ({@code WireFrameDecoder}), the connection rules (HELLO first, sequence numbers) and per-board counters read by any
 * thread ({@code LinkStats}).
 */
package org.nudaq.server.link;
