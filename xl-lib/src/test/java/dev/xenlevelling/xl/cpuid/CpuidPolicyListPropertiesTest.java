package dev.xenlevelling.xl.cpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.Register;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of the cpuid= parsers over random item lists built from the name table. */
class CpuidPolicyListPropertiesTest {
  private static final CpuidParser P = CpuidParser.latest();

  @Provide
  Arbitrary<List<String>> items() {
    Arbitrary<CpuidName> names = Arbitraries.of(CpuidNameTable.latest().names());
    Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("0", "1", "x", "k", "s"),
        Arbitraries.longs().map(l -> Long.toString(l)), Arbitraries.longs().map(l -> Long.toHexString(l))
            .map(h -> "0x" + h));
    Arbitrary<String> item = Combinators.combine(names, values).as((n, v) ->
        n.name() + "=" + (n.kind() == CpuidName.Kind.MSR ? v.substring(0, 1) : v));
    return item.list().ofMinSize(0).ofMaxSize(12);
  }

  /** Returns the MSR-safe form: MSR names only take one of 01xks. */
  private static List<String> valid(List<String> items) {
    List<String> out = new ArrayList<>();
    for (String i : items) {
      String name = i.substring(0, i.indexOf('='));
      CpuidName n = CpuidNameTable.latest().lookup(name).orElseThrow();
      String v = i.substring(i.indexOf('=') + 1);
      if (n.kind() == CpuidName.Kind.MSR && "01xks".indexOf(v.charAt(0)) < 0) {
        continue;
      }
      out.add(i);
    }
    return out;
  }

  /** Applying the same items twice changes nothing: later items override, nothing accumulates. */
  @Property(tries = 300)
  void parseLibxl_repeatingTheItems_isIdempotent(@ForAll("items") List<String> raw)
      throws CpuidParseException {
    List<String> items = valid(raw);
    List<String> twice = new ArrayList<>(items);
    twice.addAll(items);
    assertEquals(P.parseLibxlItems(items), P.parseLibxlItems(twice));
  }

  /** parse(format(x)) == x: the string form's result, written in the xend form, parses back. */
  @Property(tries = 300)
  void parseXend_ofLibxlResultWrittenAsXend_givesTheSameCpuidEntries(
      @ForAll("items") List<String> raw) throws CpuidParseException {
    CpuidPolicyList list = P.parseLibxlItems(valid(raw));
    List<String> xend = new ArrayList<>();
    for (CpuidPolicyList.Entry e : list.cpuid()) {
      StringBuilder sb = new StringBuilder();
      sb.append(Integer.toUnsignedString(e.leaf()));
      if (e.hasSubleaf()) {
        sb.append(',').append(Integer.toUnsignedString(e.subleaf()));
      }
      sb.append(':');
      String sep = "";
      for (Register r : Register.values()) {
        if (e.register(r).isPresent()) {
          sb.append(sep).append(r.lowerName()).append('=').append(e.register(r).get());
          sep = ",";
        }
      }
      xend.add(sb.toString());
    }
    assertEquals(list.cpuid(), P.parseXendList(xend).cpuid());
    assertEquals(ImmutableList.of(), P.parseXendList(xend).msrs());
  }
}
