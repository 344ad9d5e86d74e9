/**
 * The host-wide default CPU policy file of xl (schema version 1, YAML): the levelled featureset
 * per guest type, per-feature settings, cpuid= text, non-flag limits and provenance. Read with
 * safe loading only and hard limits; written atomically. The schema is documented in
 * {@code config-examples/policies/README.md}.
 *
 * <p>Entry point: {@link dev.xenlevelling.xl.policyfile.PolicyFile} ({@code read},
 * {@code fromLevelled}, {@code write}). Inside, the reader is three files: the limits and the
 * bounded YAML compose ({@code PolicyYaml}), typed node access with positions
 * ({@code PolicyNodes}) and the schema walk ({@code PolicyFileReader}).
 */
package dev.xenlevelling.xl.policyfile;
