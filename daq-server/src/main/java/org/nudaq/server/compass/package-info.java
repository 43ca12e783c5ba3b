/**
 * Reading CAEN CoMPASS list-mode data (binary 2022 / headerless, CSV) and feeding it to the pipeline as a
 * live board's frames would be: record layouts ({@code CompassDescriptor}), one reader per file, and the import that
 * interleaves the files by time stamp. Everything here runs on the thread of the replay command that uses it
 * (single-threaded, no shared state).
 */
package org.nudaq.server.compass;
