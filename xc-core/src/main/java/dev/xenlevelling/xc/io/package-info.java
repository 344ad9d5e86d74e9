/**
 * File utilities both layers share: {@link dev.xenlevelling.xc.io.AtomicFiles}, the project's one
 * atomic file replacement.
 */
package dev.xenlevelling.xc.io;
