package dev.xenlevelling.xl.defaults;

/**
 * Which layer decided one feature (or one of the policy's limits) of a new domain.
 *
 * @param feature the feature's name, or the limit's ({@code maxphysaddr})
 * @param value {@code on} or {@code off} for a feature; the value for a limit ({@code 0xd})
 * @param layer the layer that decided it
 * @param source the layer as the user knows it ({@code policy /etc/xen/pool.yaml},
 *     {@code clamped by the hypervisor})
 * @param why a few words, empty when the source says it all ({@code host b lacks it})
 */
public record FeatureExplanation(
    String feature, String value, Layer layer, String source, String why) {

  /** Returns the explanation of a feature, {@code on} or {@code off}. */
  public static FeatureExplanation of(String feature, boolean on, Layer layer, String source,
      String why) {
    return new FeatureExplanation(feature, on ? "on" : "off", layer, source, why);
  }

  /** Returns whether the value is {@code on}. */
  public boolean on() {
    return value.equals("on");
  }

  /** Returns the line: {@code avx512f: off, policy /etc/xen/pool.yaml (host b lacks it)}. */
  public String line() {
    return feature + ": " + value + ", " + source + (why.isEmpty() ? "" : " (" + why + ")");
  }
}
