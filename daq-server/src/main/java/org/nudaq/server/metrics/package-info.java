/**
 * Micrometer meters of every daemon component, one binder per component, registered once and read when
 * Prometheus scrapes (any HTTP thread): gauges read published snapshots or atomic counters; nothing here is updated
 * per event.
 */
package org.nudaq.server.metrics;
