/**
 * The pool commands' work, behind thin front ends: {@link dev.xenlevelling.xl.pool.PoolLevelling}
 * runs a validated {@link dev.xenlevelling.xl.pool.LevelRequest} ({@code xl cpu-level}: read the
 * dumps, level, explain, write the policy, or answer a what-if question) and
 * {@link dev.xenlevelling.xl.pool.CpuCompat} checks a domain or dump against hosts
 * ({@code xl cpu-compat}). A request the commands refuse is a
 * {@link dev.xenlevelling.xl.UsageException} (xl's exit code 2).
 */
package dev.xenlevelling.xl.pool;
