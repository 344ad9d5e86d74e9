/**
 * Pool levelling: the hypervisor-independent core of {@code xl cpu-level}. Hosts' default and max
 * featuresets in ({@link dev.xenlevelling.xl.level.HostCpu}), one policy under which every guest
 * can boot anywhere and migrate anywhere out ({@link dev.xenlevelling.xl.level.LevelledPolicy}),
 * with the explanations (which host removed which feature, what each host costs the pool), the
 * what-if questions and the compatibility check of one domain against one host.
 */
package dev.xenlevelling.xl.level;
