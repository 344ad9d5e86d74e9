package dev.xenlevelling.xl.defaults;

/**
 * Which layer set a bit, to what, and by which of its rules.
 *
 * @param layer the layer
 * @param value the cpuid= character it set: {@code 0 1 k s} (or, from an unchecked xend string,
 *     anything but {@code x})
 * @param source the layer as the user knows it: {@code policy /etc/xen/pool.yaml},
 *     {@code xl.conf /etc/xen/xl.conf vm.cpuid}, {@code domain config vm.cfg}, {@code command line}
 * @param rule the rule of the layer that set it
 */
public record Decision(Layer layer, char value, String source, Rule rule) {

  /** The rule of a layer that set a bit. */
  public enum Rule {
    /** A cpuid= setting (of xl.conf, the domain, the command line, or the policy's cpuid). */
    CPUID,
    /** The policy's featureset: the feature is outside the ceiling, so forced off. */
    CEILING,
    /** The policy's per-feature setting. */
    SETTING,
    /** The policy's non-flag limits (max leaves, leaf 7 subleaf, maxphysaddr). */
    LIMIT,
    /**
     * libxl's build options (itsc, pae, nestedhvm; htt and cmp-legacy topology) written out where
     * a default overrides the register, because libxc's {@code x} means the default policy's bit
     * and would undo them.
     */
    BUILD_OPTION
  }
}
