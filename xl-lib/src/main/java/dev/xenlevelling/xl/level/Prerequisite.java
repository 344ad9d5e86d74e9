package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;

/**
 * A missing prerequisite through which a feature was lost, and the hosts that lack it.
 *
 * @param name the prerequisite feature's name
 * @param lackedBy the hosts whose featureset lacks the prerequisite (never empty)
 */
public record Prerequisite(String name, ImmutableList<String> lackedBy) {}
