package dev.xenlevelling.xl;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.Featureset;

/**
 * What {@code xl info} reports about levelling on the host.
 *
 * @param hwCaps the full host featureset (real xl prints only its first 8 words)
 * @param virtCaps the virtualisation capabilities, space separated, as xl prints them
 * @param levellingCaps the levelling capabilities by name, in bit order
 * @param vendor the CPU vendor's signature ({@code GenuineIntel})
 * @param family the CPU family
 * @param model the CPU model
 * @param stepping the CPU stepping
 */
public record HostInfo(Featureset hwCaps, String virtCaps, ImmutableList<String> levellingCaps,
    String vendor, int family, int model, int stepping) {}
