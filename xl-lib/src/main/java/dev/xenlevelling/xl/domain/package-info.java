/**
 * The meaning of xl.cfg keys that change a guest's CPUID policy (xl_parse.c), as a typed
 * {@link dev.xenlevelling.xl.domain.DomainConfig}; every other key is kept as written.
 */
package dev.xenlevelling.xl.domain;
