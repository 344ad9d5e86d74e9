/**
 * The host-wide default CPU policy file of xl (schema version 1, YAML): the levelled featureset
 * per guest type, per-feature settings, cpuid= text, non-flag limits and provenance. Read with
 * safe loading only and hard limits; written atomically. The schema is documented in
 * {@code config-examples/policies/README.md}.
 */
package dev.xenlevelling.xl.policyfile;
