/**
 * The YAML configuration: loaded and validated once into immutable records, every error naming its file and key
 * path, unknown keys reported. Thread-safe once loaded.
 */
package org.nudaq.monitor.config;
