package dev.xenlevelling.xl.level;

/**
 * A pool member as a levelled policy records it.
 *
 * @param name the host's name
 * @param fingerprint the host's fingerprint when its dump was taken
 */
public record HostRef(String name, String fingerprint) {}
