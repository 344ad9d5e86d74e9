package dev.xenlevelling.xl.defaults;

/**
 * Which layer decided one feature of a new domain.
 *
 * @param feature the feature's name
 * @param on whether the domain has it
 * @param layer the layer that decided it
 * @param source the layer as the user knows it ({@code policy /etc/xen/pool.yaml},
 *     {@code clamped by the hypervisor})
 * @param why a few words, empty when the source says it all ({@code host b lacks it})
 */
public record FeatureExplanation(
    String feature, boolean on, Layer layer, String source, String why) {

  /** Returns the line: {@code avx512f: off, policy /etc/xen/pool.yaml (host b lacks it)}. */
  public String line() {
    return feature + ": " + (on ? "on" : "off") + ", " + source
        + (why.isEmpty() ? "" : " (" + why + ")");
  }
}
