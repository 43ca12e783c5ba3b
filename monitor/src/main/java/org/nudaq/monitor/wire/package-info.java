/**
 * The digitizer wire protocol, version 1: byte layout ({@code FrameDescriptor}), encoder, validating decoder and
 * visitor, CRC-32C. Shared by the daemon and the simulator; no Netty. Stateless or single-threaded per instance.
 */
package org.nudaq.monitor.wire;
