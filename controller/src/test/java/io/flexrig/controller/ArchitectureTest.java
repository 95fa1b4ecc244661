package io.flexrig.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "io.flexrig.controller",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule dispatcherIsPure =
      noClasses()
          .that()
          .resideInAPackage("io.flexrig.controller.dispatch..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.grpc..",
              "java.sql..",
              "javax.sql..",
              "io.flexrig.proto..",
              "com.google.protobuf..");

  @ArchTest
  static final ArchRule domainKnowsNoWireOrDatabase =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.flexrig.controller.fleet..",
              "io.flexrig.controller.events..",
              "io.flexrig.controller.dispatch..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.grpc..",
              "java.sql..",
              "io.flexrig.proto..",
              "io.flexrig.controller.grpc..",
              "io.flexrig.controller.store..");

  @ArchTest
  static final ArchRule jdbcStaysInTheStore =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.flexrig.controller.store..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("java.sql..")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule grpcStaysInItsAdapter =
      noClasses()
          .that()
          .resideInAnyPackage("io.flexrig.controller.store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.grpc..", "io.flexrig.proto..");

  @ArchTest
  static final ArchRule controllerNeverImportsTheAgent =
      noClasses().should().dependOnClassesThat().resideInAPackage("io.flexrig.agent..");

  @ArchTest
  static final ArchRule prometheusStaysInTheMetricsPackages =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.flexrig.controller.metrics..", "io.flexrig.metricshttp..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.prometheus..");
}
