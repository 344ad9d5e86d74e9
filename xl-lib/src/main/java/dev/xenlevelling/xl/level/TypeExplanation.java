package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;

/**
 * Why one guest type's levelled policy is what it is.
 *
 * @param type the guest type
 * @param bootLost every feature in some host's default featureset but not in the boot set
 * @param ceilingLost every feature in some host's max featureset but not in the ceiling
 * @param costs per host (in pool order), what the pool would gain without it
 */
public record TypeExplanation(
    GuestType type,
    ImmutableList<LostFeature> bootLost,
    ImmutableList<LostFeature> ceilingLost,
    ImmutableList<HostCost> costs) {}
