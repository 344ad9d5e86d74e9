package dev.xenlevelling.xc.hv;

import dev.xenlevelling.xc.policy.FeatureTable;

/** Feature numbers the hypervisor's rules name, looked up once in the latest feature table. */
final class Feat {
  private Feat() {}

  static int n(String name) {
    return FeatureTable.latest().byName(name)
        .orElseThrow(() -> new AssertionError("feature table lacks " + name)).index();
  }

  static final int APIC = n("apic");
  static final int SEP = n("sep");
  static final int HTT = n("htt");
  static final int PAE = n("pae");
  static final int PSE36 = n("pse36");
  static final int VMX = n("vmx");
  static final int X2APIC = n("x2apic");
  static final int XSAVE = n("xsave");
  static final int OSXSAVE = n("osxsave");
  static final int RDRAND = n("rdrand");
  static final int HYPERVISOR = n("hypervisor");
  static final int LM = n("lm");
  static final int CMP_LEGACY = n("cmp-legacy");
  static final int SVM = n("svm");
  static final int FDP_EXCP_ONLY = n("fdp-excp-only");
  static final int ERMS = n("erms");
  static final int HLE = n("hle");
  static final int RTM = n("rtm");
  static final int NO_FPU_SEL = n("no-fpu-sel");
  static final int CLWB = n("clwb");
  static final int OSPKE = n("ospke");
  static final int PKS = n("pks");
  static final int IBPB = n("ibpb");
  static final int IBRS = n("ibrs");
  static final int AMD_STIBP = n("amd-stibp");
  static final int NO_LMSL = n("no-lmsl");
  static final int AMD_SSBD = n("amd-ssbd");
  static final int VIRT_SSBD = n("virt-ssbd");
  static final int MD_CLEAR = n("md-clear");
  static final int RTM_ALWAYS_ABORT = n("rtm-always-abort");
  static final int TSX_FORCE_ABORT = n("tsx-force-abort");
  static final int IBRSB = n("ibrsb");
  static final int STIBP = n("stibp");
  static final int ARCH_CAPS = n("arch-caps");
  static final int LFENCE_DISPATCH = n("lfence-dispatch");
  static final int VERW_CLEAR = n("verw-clear");
  static final int SRSO_US_NO = n("srso-us-no");
  static final int EIBRS = n("eibrs");
  static final int RSBA = n("rsba");
  static final int TSX_CTRL = n("tsx-ctrl");
  static final int FB_CLEAR = n("fb-clear");
  static final int RRSBA = n("rrsba");
  static final int RFDS_CLEAR = n("rfds-clear");
}
