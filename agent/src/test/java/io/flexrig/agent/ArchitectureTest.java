package io.flexrig.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Each protocol stays inside its adapter package; the logic in the middle stays pure. */
class ArchitectureTest {
  private static final JavaClasses AGENT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.flexrig.agent");

  @Test
  void samplerAndControlAndTheSourceModelUseNoProtocolLibrary() {
    noClasses()
        .that()
        .resideInAnyPackage("io.flexrig.agent.sampler..", "io.flexrig.agent.control..")
        .or()
        .resideInAPackage("io.flexrig.agent.source")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.eclipse.milo..", "com.pi4j..", "io.grpc..", "io.flexrig.proto..")
        .check(AGENT);
  }

  @Test
  void miloStaysInTheOpcUaAdapter() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.flexrig.agent.source.opcua..", "io.flexrig.agent.scada..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.eclipse.milo..")
        .check(AGENT);
  }

  @Test
  void pi4jStaysInTheI2cSpiAndGpioAdaptersAndTheCompositionRoot() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.flexrig.agent.source.i2c..",
            "io.flexrig.agent.source.spi..",
            "io.flexrig.agent.source.gpio..",
            "io.flexrig.agent",
            "io.flexrig.agent.cli")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.pi4j..")
        .check(AGENT);
  }

  @Test
  void grpcStaysInTheUplinkAndTheAgentDoor() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.flexrig.agent.uplink..", "io.flexrig.agent.door..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.grpc..")
        .check(AGENT);
  }

  @Test
  void theAgentNeverImportsTheController() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.flexrig.controller..")
        .check(AGENT);
  }

  @Test
  void prometheusStaysInTheMetricsPackages() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.flexrig.agent.metrics..", "io.flexrig.metricshttp..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.prometheus..")
        .check(AGENT);
  }
}
