/**
 * Replaying a journal session through a fresh pipeline with exactly the live daemon's input calls, for
 * bit-identical results or a re-analysis with other cuts; runs on the calling thread.
 */
package org.nudaq.server.replay;
