package io.annals.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module rules of DESIGN.md. */
@AnalyzeClasses(packages = "io.annals", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule querySideNeverUsesTheCommandDomain = noClasses().that().resideInAPackage("io.annals.query..")
            .should().dependOnClassesThat().resideInAPackage("io.annals.command.domain..");

    @ArchTest
    static final ArchRule workersNeverUseTheCommandDomain = noClasses().that().resideInAPackage("io.annals.workers..")
            .should().dependOnClassesThat().resideInAPackage("io.annals.command.domain..");

    @ArchTest
    static final ArchRule nothingImportsTheApiModule = noClasses().that().resideOutsideOfPackage("io.annals.app..")
            .should().dependOnClassesThat().resideInAPackage("io.annals.app..");

    @ArchTest
    static final ArchRule infraKnowsNoDomainType = noClasses().that().resideInAPackage("io.annals.infra..")
            .should().dependOnClassesThat().resideInAnyPackage("io.annals.command..", "io.annals.query..",
                    "io.annals.workers..", "io.annals.app..");

    @ArchTest
    static final ArchRule publishedLanguageHasNoInfrastructure = noClasses().that()
            .resideInAPackage("io.annals.command.api..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..",
                    "co.elastic..", "software.amazon..", "ai.djl..", "jakarta.persistence..",
                    "io.annals.command.domain..", "io.annals.query..", "io.annals.workers..");

    @ArchTest
    static final ArchRule commandDomainIgnoresReadSideAndWorkers = noClasses().that()
            .resideInAPackage("io.annals.command.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("io.annals.query..", "io.annals.workers..");

    @ArchTest
    static final ArchRule djlCodeHasNoSpring = noClasses().that().resideInAnyPackage("io.annals.workers.training..",
                    "io.annals.workers.drift..", "io.annals.workers.features..")
            .should().dependOnClassesThat().resideInAPackage("org.springframework..");
}
