package io.flexrig.demo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries of design.md, checked over the classes of every module at once. */
class ArchitectureTest {

  private static JavaClasses flexrig;

  @BeforeAll
  static void importClasses() {
    flexrig =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flexrig");
  }

  @Test
  void agentNeverUsesControllerCode() {
    noClasses()
        .that()
        .resideInAPackage("io.flexrig.agent..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.flexrig.controller..", "io.flexrig.sim..", "io.flexrig.demo..")
        .check(flexrig);
  }

  @Test
  void controllerNeverUsesAgentOrSimulatorCode() {
    noClasses()
        .that()
        .resideInAPackage("io.flexrig.controller..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.flexrig.agent..", "io.flexrig.sim..", "io.flexrig.demo..")
        .check(flexrig);
  }

  @Test
  void coreStaysFreeOfProtocolsAndStorage() {
    noClasses()
        .that()
        .resideInAPackage("io.flexrig.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.grpc..", "org.eclipse.milo..", "com.pi4j..", "java.sql..", "io.flexrig.proto..")
        .check(flexrig);
  }

  @Test
  void eachProtocolStaysInsideItsAdapterPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.flexrig.agent.source.opcua..",
            // the agent's own OPC UA server for a site's SCADA
            "io.flexrig.agent.scada..",
            "io.flexrig.sim.opcua..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.eclipse.milo..")
        .check(flexrig);
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.flexrig.agent.source.i2c..",
            "io.flexrig.agent.source.spi..",
            "io.flexrig.agent.source.gpio..",
            "io.flexrig.sim.i2c..",
            // the composition roots that hand a Pi4J context to the I2C drivers
            "io.flexrig.agent",
            // the probe command opens the buses the same way
            "io.flexrig.agent.cli",
            "io.flexrig.demo")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.pi4j..")
        .check(flexrig);
  }
}
