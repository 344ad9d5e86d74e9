/**
 * JMH benchmarks of the in-process work ({@code bin/bench}): featureset algebra
 * ({@code FeaturesetBench}), domain create/set/destroy on the simulated hypervisor
 * ({@code HypervisorBench}) and pool levelling of very many hosts ({@code PoolLevelBench}), with
 * {@code FastLeveller}, the one-pass floor that PoolLevelBench measures the leveller against.
 */
package dev.xenlevelling.bench;
