/**
 * The daemon's HTTP side: the Netty HTTP server (its own one-thread event loop), routing of {@code /metrics},
 * the web page, the JSON API and the token-protected control actions, and the one-thread {@code nudaq-monitoring}
 * scheduler that samples rates and the limits history. Nothing here writes pipeline state: it reads the pipeline's
 * published snapshot and hands control commands to the pipeline thread.
 */
package org.nudaq.server.http;
