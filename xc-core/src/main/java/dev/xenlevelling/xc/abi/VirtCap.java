package dev.xenlevelling.xc.abi;

/** One of the {@code virt_caps} {@code xl info} prints, from physinfo's capability flags. */
public enum VirtCap {
  /** {@code pv}: PV guests are supported. */
  PV("pv"),
  /** {@code hvm}: HVM guests are supported. */
  HVM("hvm"),
  /** {@code hvm_directio}: device pass-through for HVM (needs an IOMMU; never simulated). */
  HVM_DIRECTIO("hvm_directio"),
  /** {@code pv_directio}: device pass-through for PV (needs an IOMMU; never simulated). */
  PV_DIRECTIO("pv_directio"),
  /** {@code hap}: hardware-assisted paging. */
  HAP("hap"),
  /** {@code shadow}: shadow paging. */
  SHADOW("shadow"),
  /** {@code iommu_hap_pt_share}: never simulated. */
  IOMMU_HAP_PT_SHARE("iommu_hap_pt_share"),
  /** {@code vmtrace}: never simulated. */
  VMTRACE("vmtrace"),
  /** {@code vpmu}: off, as Xen's default. */
  VPMU("vpmu"),
  /** {@code gnttab-v1}. */
  GNTTAB_V1("gnttab-v1"),
  /** {@code gnttab-v2}. */
  GNTTAB_V2("gnttab-v2");

  private final String xlName;

  VirtCap(String xlName) {
    this.xlName = xlName;
  }

  /** Returns the name xl info prints. */
  public String xlName() {
    return xlName;
  }
}
