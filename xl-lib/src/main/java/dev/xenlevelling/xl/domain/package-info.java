/**
 * The meaning of xl.cfg keys that change a guest's CPUID policy (xl_parse.c), as a typed
 * {@link dev.xenlevelling.xl.domain.DomainConfig}; every other key is kept as written. A
 * domain's {@link dev.xenlevelling.xl.domain.GuestType} (PV, PVH, HVM) maps to the policy type
 * Xen gives it with {@link dev.xenlevelling.xl.domain.GuestType#policyType()}.
 */
package dev.xenlevelling.xl.domain;
