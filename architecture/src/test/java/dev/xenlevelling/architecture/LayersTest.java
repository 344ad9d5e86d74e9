package dev.xenlevelling.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers of the project (STYLE, "The layers are the architecture"), read from the main
 * classes of every module: xc-core's pure policy library, ABI vocabulary and file utilities at the
 * bottom; the simulated hypervisor behind the libxc facade ({@code XcInterface}, the only door to
 * it); xl-lib over the facade; the front ends (xl-cli, xen-cpuid-tool, xensim-cli) on top. The
 * build fails when a class crosses a layer.
 */
@AnalyzeClasses(packages = "dev.xenlevelling", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {
  /**
   * Who may use whom. The xensim console is the hypervisor's own (it boots hosts, as a machine
   * boots Xen), so it alone sees the hypervisor besides the facade.
   */
  @ArchTest
  static final ArchRule layersPointOneWay = layeredArchitecture()
      .consideringOnlyDependenciesInAnyPackage("dev.xenlevelling..")
      .layer("policy").definedBy("dev.xenlevelling.xc.policy..")
      .layer("abi").definedBy("dev.xenlevelling.xc.abi..")
      .layer("io").definedBy("dev.xenlevelling.xc.io..")
      .layer("hypervisor").definedBy("dev.xenlevelling.xc.hv..")
      .layer("facade").definedBy("dev.xenlevelling.xc")
      .layer("xl-lib").definedBy(resideInAPackage("dev.xenlevelling.xl..")
          .and(not(resideInAPackage("dev.xenlevelling.xl.cli.."))))
      .layer("xl-cli").definedBy("dev.xenlevelling.xl.cli..")
      .layer("xen-cpuid").definedBy("dev.xenlevelling.xencpuid..")
      .layer("xensim").definedBy("dev.xenlevelling.xensim..")
      .whereLayer("xl-cli").mayNotBeAccessedByAnyLayer()
      .whereLayer("xen-cpuid").mayNotBeAccessedByAnyLayer()
      .whereLayer("xensim").mayNotBeAccessedByAnyLayer()
      .whereLayer("xl-lib").mayOnlyBeAccessedByLayers("xl-cli")
      .whereLayer("facade").mayOnlyBeAccessedByLayers("xl-lib", "xl-cli", "xen-cpuid", "xensim")
      .whereLayer("hypervisor").mayOnlyBeAccessedByLayers("facade", "xensim")
      .whereLayer("abi").mayOnlyBeAccessedByLayers(
          "hypervisor", "facade", "xl-lib", "xl-cli", "xen-cpuid", "xensim")
      .whereLayer("io").mayOnlyBeAccessedByLayers(
          "hypervisor", "facade", "xl-lib", "xl-cli", "xen-cpuid", "xensim");

  /** Only a front end's {@code main} prints to the console or ends the process (STYLE, Errors). */
  @ArchTest
  static final ArchRule librariesNeitherPrintNorExit = noClasses()
      .that().resideInAnyPackage("dev.xenlevelling.xc..", "dev.xenlevelling.xl..")
      .and().resideOutsideOfPackage("dev.xenlevelling.xl.cli..")
      .should().accessField(System.class, "out")
      .orShould().accessField(System.class, "err")
      .orShould().callMethod(System.class, "exit", int.class)
      .orShould().callMethod(Runtime.class, "exit", int.class)
      .orShould().callMethod(Runtime.class, "halt", int.class);

  /** No two packages depend on each other, directly or round a loop. */
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("dev.xenlevelling.(**)").should().beFreeOfCycles();
}
