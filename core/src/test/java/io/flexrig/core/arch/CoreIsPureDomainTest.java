package io.flexrig.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The core is pure domain: protocols, hardware and storage stay in the adapters' modules. */
@AnalyzeClasses(packages = "io.flexrig.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreIsPureDomainTest {

  @ArchTest
  static final ArchRule coreUsesNoAdapterOrWireTypes =
      noClasses()
          .that()
          .resideInAPackage("io.flexrig.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.grpc..", "org.eclipse.milo..", "com.pi4j..", "java.sql..", "io.flexrig.proto..")
          .because("the core must run and be tested without gRPC, OPC UA, GPIO/I2C or JDBC");
}
