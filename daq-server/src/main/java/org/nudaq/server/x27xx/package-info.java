/**
 * CAEN x27xx raw data (the Dig2 library's {@code raw} endpoint; layout in {@link
 * org.nudaq.server.x27xx.X27xxDescriptor}): the decoder for files and streams, the {@code .raw} file reader
 * and the per-channel statistics (dead time, trigger counts). Owns no thread: each class runs on its
 * caller's, single-threaded. Not yet a daemon source (docs/caen.md).
 */
package org.nudaq.server.x27xx;
