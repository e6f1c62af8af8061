/** The in-memory {@link io.sluice.storage.LogStore}, held to the same contract suite as the file store. */
package io.sluice.storage.memory;
