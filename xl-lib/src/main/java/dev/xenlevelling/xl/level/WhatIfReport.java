package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;

/**
 * What would change if a host joined or left a pool.
 *
 * @param before the pool's policy now
 * @param after the pool's policy after the change
 * @param changes per guest type levelled before or after, the features gained and lost (a type
 *     no longer levelled loses everything; a type newly levelled gains everything)
 * @param blocked the moves running domains could no longer make
 */
public record WhatIfReport(
    LevelledPolicy before,
    LevelledPolicy after,
    ImmutableSortedMap<GuestType, FeatureDelta> changes,
    ImmutableList<BlockedMove> blocked) {}
