package dev.xenlevelling.xl.level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.FeatureWord;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.cpuid.CpuidName;
import dev.xenlevelling.xl.cpuid.CpuidNameTable;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The cpuid= lines of a levelled pool, decoded back as libxl reads them, give a new guest exactly
 * the pool's boot featureset on every member: (member's default - the 0 bits) + the 1 bits.
 */
class PolicyTextTest {
  static final FeatureTable T = FeatureTable.latest();
  static final PolicyText TEXT = new PolicyText(T);

  @Property(tries = 60)
  void libxlLine_givesTheBootSetOnEveryMember(
      @ForAll("bootedPools") List<HostCpu> pool) throws Exception {
    LevelledPolicy p = PoolLevellerPropertiesTest.L.level(pool);
    for (LevelledType lt : p.types().values()) {
      String line = TEXT.cpuidLibxl(lt, pool);
      assertTrue(line.startsWith("host"), line);
      Featureset off = Featureset.zero(T.nrWords());
      Featureset on = Featureset.zero(T.nrWords());
      for (String item : line.substring(4).split(",")) {
        if (item.isEmpty()) {
          continue;
        }
        String[] kv = item.split("=");
        int f = feature(CpuidNameTable.latest().lookup(kv[0]).orElseThrow());
        if (kv[1].equals("0")) {
          off = off.with(f);
        } else {
          assertEquals("1", kv[1]);
          on = on.with(f);
        }
      }
      checkEveryMember(lt, pool, off, on);
    }
  }

  @Property(tries = 60)
  void xendList_givesTheBootSetOnEveryMember(
      @ForAll("bootedPools") List<HostCpu> pool) throws Exception {
    LevelledPolicy p = PoolLevellerPropertiesTest.L.level(pool);
    for (LevelledType lt : p.types().values()) {
      List<String> msrOnly = new ArrayList<>();
      Featureset off = Featureset.zero(T.nrWords());
      Featureset on = Featureset.zero(T.nrWords());
      for (String item : TEXT.cpuidXend(lt, pool, msrOnly)) {
        String[] leafRegs = item.split(":", 2);
        String[] ls = leafRegs[0].split(",");
        int leaf = Integer.parseUnsignedInt(ls[0].substring(2), 16);
        int subleaf = ls.length > 1 ? Integer.parseInt(ls[1]) : -1;
        for (String reg : leafRegs[1].split(",")) {
          String[] kv = reg.split("=");
          assertEquals(32, kv[1].length(), item);
          FeatureWord w = word(leaf, subleaf, kv[0]);
          for (int bit = 0; bit < 32; bit++) {
            char c = kv[1].charAt(31 - bit);
            int f = w.index() * 32 + bit;
            if (c == '0') {
              off = off.with(f);
            } else if (c == '1') {
              on = on.with(f);
            } else {
              assertEquals('x', c, item);
            }
          }
        }
      }
      for (String m : msrOnly) {
        String[] kv = m.split("=");
        int f = T.byName(kv[0]).orElseThrow().index();
        off = kv[1].equals("0") ? off.with(f) : off;
        on = kv[1].equals("1") ? on.with(f) : on;
      }
      checkEveryMember(lt, pool, off, on);
    }
  }

  static void checkEveryMember(LevelledType lt, List<HostCpu> pool, Featureset off,
      Featureset on) {
    for (HostCpu h : pool) {
      Featureset def = h.guest(lt.type()).orElseThrow().defaultFeatures();
      Featureset got = def.and(T.mask(dev.xenlevelling.xc.policy.StaticMask.KNOWN)).andNot(off)
          .or(on);
      assertEquals(lt.boot().withLength(T.nrWords()), got.withLength(T.nrWords()),
          h.name() + " " + lt.type());
    }
  }

  static int feature(CpuidName n) {
    FeatureWord w = word(n.leaf(), n.subleaf(), n.register().name().toLowerCase(java.util.Locale.ROOT));
    return w.index() * 32 + n.firstBit();
  }

  static FeatureWord word(int leaf, int subleaf, String reg) {
    for (FeatureWord w : T.words()) {
      int ws = w.subleaf().isPresent() ? w.subleaf().getAsInt() : -1;
      if (w.leaf() == leaf && ws == subleaf
          && w.register().name().toLowerCase(java.util.Locale.ROOT).equals(reg)) {
        return w;
      }
    }
    throw new AssertionError("no word " + leaf + " " + subleaf + " " + reg);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<List<HostCpu>> bootedPools() {
    return new BootedPoolPropertiesTest().bootedPools();
  }

}
